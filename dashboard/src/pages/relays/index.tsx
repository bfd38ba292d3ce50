import { useSignal } from "@preact/signals";
import { delivery, type Relay } from "../../api/delivery";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { Truncated } from "../../components/truncated";
import { formatNumber } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { canManage } from "../../session";
import { RelayDialog, securityLabel } from "./relay-dialog";
import { RelayTestDialog } from "./test-dialog";

/** The SMTP relays mail leaves through; owners and admins add, change, test and remove them. */
export function RelaysPage() {
  const pager = usePager((cursor) => delivery.relays.list({ limit: 50, cursor }));
  const editing = useSignal<Relay | "new" | null>(null);
  const deleting = useSignal<Relay | null>(null);
  const testing = useSignal<Relay | null>(null);
  const notify = useToast();
  const manage = canManage.value;

  const columns: Column<Relay>[] = [
    {
      header: t("common.name"),
      cell: (relay) => <Truncated text={relay.name} />,
    },
    {
      header: t("relays.host"),
      cell: (relay) =>
        relay.kind === "cloudflare" ? (
          t("emailService.kindName")
        ) : (
          <code>{`${relay.host}:${relay.port}`}</code>
        ),
    },
    { header: t("relays.securityLabel"), cell: (relay) => securityLabel(relay.security) },
    {
      header: t("relays.username"),
      cell: (relay) => (
        <>
          {relay.username ?? <span class="muted">—</span>}
          {relay.hasPassword && <div class="muted cell-note">{t("relays.passwordStored")}</div>}
        </>
      ),
    },
    {
      header: t("relays.rateLimits"),
      class: "nowrap",
      cell: (relay) =>
        relay.maxPerHour
          ? t("relays.rates", {
              second: formatNumber(relay.maxPerSecond),
              hour: formatNumber(relay.maxPerHour),
            })
          : t("relays.ratesNoHourly", { second: formatNumber(relay.maxPerSecond) }),
    },
    {
      header: t("relays.default"),
      cell: (relay) =>
        relay.isDefault ? <span class="badge badge--ok">{t("relays.default")}</span> : t("common.no"),
    },
  ];
  if (manage) {
    columns.push({
      header: t("common.actions"),
      class: "table__actions",
      cell: (relay) => (
        <>
          <button type="button" class="button button--small" onClick={() => (testing.value = relay)}>
            {t("relays.testConnection")}
            <span class="visually-hidden"> {t("relays.of", { name: relay.name })}</span>
          </button>
          <button type="button" class="button button--small" onClick={() => (editing.value = relay)}>
            {t("common.edit")}
            <span class="visually-hidden"> {relay.name}</span>
          </button>
          <button
            type="button"
            class="button button--small button--danger-quiet"
            onClick={() => (deleting.value = relay)}
          >
            {t("common.delete")}
            <span class="visually-hidden"> {relay.name}</span>
          </button>
        </>
      ),
    });
  }

  return (
    <Page
      title={t("nav.relays")}
      intro={t("relays.intro")}
      actions={
        manage && (
          <button type="button" class="button button--primary" onClick={() => (editing.value = "new")}>
            {t("relays.add")}
          </button>
        )
      }
    >
      {!manage && (
        <p class="banner banner--info" role="note">
          {t("relays.readOnly")}
        </p>
      )}
      <Table
        label={t("nav.relays")}
        columns={columns}
        pager={pager}
        rowKey={(relay) => relay.id}
        empty={t("relays.empty")}
      />
      {editing.value && (
        <RelayDialog
          relay={editing.value === "new" ? undefined : editing.value}
          onClose={() => (editing.value = null)}
          onSaved={(saved) => {
            const created = editing.value === "new";
            editing.value = null;
            if ("passwordCleared" in saved && saved.passwordCleared) {
              notify(t("relays.passwordCleared"));
            } else {
              notify(created ? t("relays.added", { name: saved.name }) : t("common.changesSaved"));
            }
            // Making one relay the default changes the others too.
            pager.reload();
          }}
        />
      )}
      {testing.value && <RelayTestDialog relay={testing.value} onClose={() => (testing.value = null)} />}
      {deleting.value && (
        <ConfirmDialog
          title={t("relays.deleteTitle")}
          confirmLabel={t("relays.deleteRelay")}
          onClose={() => (deleting.value = null)}
          onConfirm={async () => {
            const relay = deleting.value;
            if (!relay) return;
            await delivery.relays.remove(relay.id);
            notify(t("relays.deleted", { name: relay.name }));
            pager.reload();
          }}
        >
          <p>
            <Trans
              k="relays.deleteBody"
              values={{
                name: deleting.value.name,
                endpoint: `${deleting.value.host}:${deleting.value.port}`,
              }}
              parts={[(s) => <strong>{s}</strong>]}
            />
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

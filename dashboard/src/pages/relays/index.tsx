import { useSignal } from "@preact/signals";
import { delivery, type Relay } from "../../api/delivery";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { Truncated } from "../../components/truncated";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { canManage } from "../../session";
import { RelayDialog, SECURITY_LABELS } from "./relay-dialog";
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
      header: "Name",
      cell: (relay) => <Truncated text={relay.name} />,
    },
    {
      header: "Host",
      cell: (relay) =>
        relay.kind === "cloudflare" ? (
          t("emailService.kindName")
        ) : (
          <code>{`${relay.host}:${relay.port}`}</code>
        ),
    },
    { header: "Security", cell: (relay) => SECURITY_LABELS[relay.security] },
    {
      header: "Username",
      cell: (relay) => (
        <>
          {relay.username ?? <span class="muted">—</span>}
          {relay.hasPassword && <div class="muted cell-note">password stored</div>}
        </>
      ),
    },
    {
      header: "Rate limits",
      class: "nowrap",
      cell: (relay) =>
        `${relay.maxPerSecond.toLocaleString()}/s, ${relay.maxPerHour ? `${relay.maxPerHour.toLocaleString()}/h` : "no hourly limit"}`,
    },
    {
      header: "Default",
      cell: (relay) => (relay.isDefault ? <span class="badge badge--ok">Default</span> : "No"),
    },
  ];
  if (manage) {
    columns.push({
      header: "Actions",
      class: "table__actions",
      cell: (relay) => (
        <>
          <button type="button" class="button button--small" onClick={() => (testing.value = relay)}>
            Test connection<span class="visually-hidden"> of {relay.name}</span>
          </button>
          <button type="button" class="button button--small" onClick={() => (editing.value = relay)}>
            Edit<span class="visually-hidden"> {relay.name}</span>
          </button>
          <button
            type="button"
            class="button button--small button--danger-quiet"
            onClick={() => (deleting.value = relay)}
          >
            Delete<span class="visually-hidden"> {relay.name}</span>
          </button>
        </>
      ),
    });
  }

  return (
    <Page
      title="Relays"
      intro="SMTP servers Edgepost hands mail to. Without any, mail goes through the SMTP server Edgepost was started with (SMTP_URL)."
      actions={
        manage && (
          <button type="button" class="button button--primary" onClick={() => (editing.value = "new")}>
            Add relay
          </button>
        )
      }
    >
      {!manage && (
        <p class="banner banner--info" role="note">
          Relays are managed by owners and admins; you can see them here.
        </p>
      )}
      <Table
        label="Relays"
        columns={columns}
        pager={pager}
        rowKey={(relay) => relay.id}
        empty="No relays yet."
      />
      {editing.value && (
        <RelayDialog
          relay={editing.value === "new" ? undefined : editing.value}
          onClose={() => (editing.value = null)}
          onSaved={(saved) => {
            const created = editing.value === "new";
            editing.value = null;
            if ("passwordCleared" in saved && saved.passwordCleared) {
              notify(
                "Changes saved. The stored password was removed because the server changed: enter it again.",
              );
            } else {
              notify(created ? `Relay “${saved.name}” was added.` : "Changes saved.");
            }
            // Making one relay the default changes the others too.
            pager.reload();
          }}
        />
      )}
      {testing.value && <RelayTestDialog relay={testing.value} onClose={() => (testing.value = null)} />}
      {deleting.value && (
        <ConfirmDialog
          title="Delete this relay?"
          confirmLabel="Delete relay"
          onClose={() => (deleting.value = null)}
          onConfirm={async () => {
            const relay = deleting.value;
            if (!relay) return;
            await delivery.relays.remove(relay.id);
            notify(`Relay “${relay.name}” was deleted.`);
            pager.reload();
          }}
        >
          <p>
            <strong>{deleting.value.name}</strong> ({deleting.value.host}:{deleting.value.port}) and its
            stored password will be deleted. Campaigns that named it send through the default relay instead.
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

import { useSignal } from "@preact/signals";
import { type ApiKey, api, type CreatedApiKey } from "../../api/client";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ManagersOnly } from "../../components/managers-only";
import { Page } from "../../components/page";
import { RoleBadge } from "../../components/role-badge";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { Truncated } from "../../components/truncated";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { CreateKeyForm } from "./create-form";
import { NewKeyNotice } from "./new-key";

export function ApiKeysPage() {
  return (
    <ManagersOnly title={t("nav.apiKeys")}>
      <ApiKeys />
    </ManagersOnly>
  );
}

function ApiKeys() {
  const pager = usePager((cursor) => api.apiKeys.list({ limit: 25, cursor }));
  const creating = useSignal(false);
  const created = useSignal<CreatedApiKey | null>(null);
  const revoking = useSignal<ApiKey | null>(null);
  const notify = useToast();

  const columns: Column<ApiKey>[] = [
    { header: t("common.name"), cell: (key) => <Truncated text={key.name} /> },
    { header: t("apiKeys.col.key"), cell: (key) => <code>{key.prefix}…</code> },
    { header: t("apiKeys.col.owner"), cell: (key) => <KeyOwner apiKey={key} /> },
    { header: t("users.role"), cell: (key) => <KeyRole apiKey={key} /> },
    { header: t("apiKeys.col.created"), cell: (key) => formatDateTime(key.createdAt), class: "nowrap" },
    { header: t("apiKeys.col.lastUsed"), cell: (key) => formatDateTime(key.lastUsedAt), class: "nowrap" },
    {
      header: t("common.status"),
      cell: (key) =>
        key.revokedAt ? (
          <span class="badge badge--muted" title={formatDateTime(key.revokedAt)}>
            {t("apiKeys.revoked")}
          </span>
        ) : key.createdBy ? (
          <span class="badge badge--ok">{t("apiKeys.active")}</span>
        ) : (
          <span class="badge badge--muted" title={t("apiKeys.inactiveHint")}>
            {t("apiKeys.inactive")}
          </span>
        ),
    },
    {
      header: t("common.actions"),
      class: "table__actions",
      cell: (key) =>
        !key.revokedAt && (
          <button
            type="button"
            class="button button--small button--danger-quiet"
            onClick={() => {
              revoking.value = key;
            }}
          >
            {t("apiKeys.revoke")}
            <span class="visually-hidden"> {key.name}</span>
          </button>
        ),
    },
  ];

  return (
    <Page
      title={t("nav.apiKeys")}
      intro={t("apiKeys.intro")}
      actions={
        !creating.value && (
          <button
            type="button"
            class="button button--primary"
            onClick={() => {
              created.value = null;
              creating.value = true;
            }}
          >
            {t("apiKeys.create")}
          </button>
        )
      }
    >
      {created.value && <NewKeyNotice apiKey={created.value} onDone={() => (created.value = null)} />}
      {creating.value && (
        <CreateKeyForm
          onCancel={() => (creating.value = false)}
          onCreated={(key) => {
            creating.value = false;
            created.value = key;
            pager.reload();
          }}
        />
      )}
      <Table
        label={t("nav.apiKeys")}
        columns={columns}
        pager={pager}
        rowKey={(key) => key.id}
        empty={t("apiKeys.empty")}
      />
      {revoking.value && (
        <ConfirmDialog
          title={t("apiKeys.revokeTitle")}
          confirmLabel={t("apiKeys.revokeKey")}
          onClose={() => (revoking.value = null)}
          onConfirm={async () => {
            const key = revoking.value;
            if (key) await api.apiKeys.revoke(key.id);
            notify(t("apiKeys.revokedToast"));
            pager.reload();
          }}
        >
          <p>
            <Trans
              k="apiKeys.revokeBody"
              values={{ name: revoking.value.name, prefix: revoking.value.prefix }}
              parts={[(s) => <strong>{s}</strong>, (s) => <code>{s}</code>]}
            />
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

/** Whose the key is: it acts for this person and never with more than their current role. */
function KeyOwner({ apiKey }: { apiKey: ApiKey }) {
  if (!apiKey.createdBy) return <span class="muted">{t("apiKeys.deletedUser")}</span>;
  return (
    <>
      {apiKey.createdBy.name}
      <br />
      <span class="muted">{apiKey.createdBy.email}</span>
    </>
  );
}

/** The role the key acts with now, and the role it was made with when its owner's role is lower. */
function KeyRole({ apiKey }: { apiKey: ApiKey }) {
  const acting = apiKey.effectiveRole ?? apiKey.role;
  return (
    <>
      <RoleBadge role={acting} />
      {acting !== apiKey.role && (
        <span class="muted"> {t("apiKeys.madeAs", { role: t(`users.roles.${apiKey.role}`) })}</span>
      )}
    </>
  );
}

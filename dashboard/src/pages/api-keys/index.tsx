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
import { CreateKeyForm } from "./create-form";
import { NewKeyNotice } from "./new-key";

export function ApiKeysPage() {
  return (
    <ManagersOnly title="API keys">
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
    { header: "Name", cell: (key) => <Truncated text={key.name} /> },
    { header: "Key", cell: (key) => <code>{key.prefix}…</code> },
    { header: "Belongs to", cell: (key) => <KeyOwner apiKey={key} /> },
    { header: "Role", cell: (key) => <KeyRole apiKey={key} /> },
    { header: "Created", cell: (key) => formatDateTime(key.createdAt), class: "nowrap" },
    { header: "Last used", cell: (key) => formatDateTime(key.lastUsedAt), class: "nowrap" },
    {
      header: "Status",
      cell: (key) =>
        key.revokedAt ? (
          <span class="badge badge--muted" title={formatDateTime(key.revokedAt)}>
            Revoked
          </span>
        ) : key.createdBy ? (
          <span class="badge badge--ok">Active</span>
        ) : (
          <span class="badge badge--muted" title="The person it belonged to is gone, so the key is refused.">
            Inactive
          </span>
        ),
    },
    {
      header: "Actions",
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
            Revoke<span class="visually-hidden"> {key.name}</span>
          </button>
        ),
    },
  ];

  return (
    <Page
      title="API keys"
      intro="Keys let scripts and integrations call the API for the person who made them, with a role no higher than that person's own. Deleting a person revokes their keys."
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
            Create API key
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
        label="API keys"
        columns={columns}
        pager={pager}
        rowKey={(key) => key.id}
        empty="No API keys yet."
      />
      {revoking.value && (
        <ConfirmDialog
          title="Revoke this API key?"
          confirmLabel="Revoke key"
          onClose={() => (revoking.value = null)}
          onConfirm={async () => {
            const key = revoking.value;
            if (key) await api.apiKeys.revoke(key.id);
            notify("The key was revoked.");
            pager.reload();
          }}
        >
          <p>
            Anything using <strong>{revoking.value.name}</strong> (<code>{revoking.value.prefix}…</code>) will
            get 401 errors from now on. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

/** Whose the key is: it acts for this person and never with more than their current role. */
function KeyOwner({ apiKey }: { apiKey: ApiKey }) {
  if (!apiKey.createdBy) return <span class="muted">Deleted user</span>;
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
        <span class="muted"> (made as {apiKey.role}; limited to its owner's role)</span>
      )}
    </>
  );
}

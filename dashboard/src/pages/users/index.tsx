import { useSignal } from "@preact/signals";
import type { CreatedUser } from "../../../../workers/contract/users";
import { api, type User } from "../../api/client";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ManagersOnly } from "../../components/managers-only";
import { Page } from "../../components/page";
import { RoleBadge } from "../../components/role-badge";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { Truncated } from "../../components/truncated";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { LOCALE_NAMES, t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { me } from "../../session";
import { EditUserDialog } from "./edit-dialog";
import { InviteForm } from "./invite-form";

export function UsersPage() {
  return (
    <ManagersOnly title={t("nav.users")}>
      <Users />
    </ManagersOnly>
  );
}

function Users() {
  const pager = usePager((cursor) => api.users.list({ limit: 25, cursor }));
  const inviting = useSignal(false);
  const editing = useSignal<User | null>(null);
  const deleting = useSignal<User | null>(null);
  const notify = useToast();
  const selfId = me.value?.user?.id;

  const columns: Column<User>[] = [
    {
      header: t("common.name"),
      cell: (user) => (
        <>
          <Truncated text={user.name} /> {user.id === selfId && <span class="muted">{t("users.you")}</span>}
        </>
      ),
    },
    { header: t("common.email"), cell: (user) => <Truncated text={user.email} /> },
    { header: t("users.role"), cell: (user) => <RoleBadge role={user.role} /> },
    {
      header: t("common.language"),
      cell: (user) =>
        user.locale ? LOCALE_NAMES[user.locale] : <span class="muted">{t("users.browserDefault")}</span>,
      class: "nowrap",
    },
    {
      header: t("users.lastSignIn"),
      cell: (user) =>
        user.pending ? <span class="muted">{t("users.invited")}</span> : formatDateTime(user.lastLoginAt),
      class: "nowrap",
    },
    { header: t("users.added"), cell: (user) => formatDateTime(user.createdAt), class: "nowrap" },
    {
      header: t("common.actions"),
      class: "table__actions",
      cell: (user) => (
        <>
          <button type="button" class="button button--small" onClick={() => (editing.value = user)}>
            {t("common.edit")}
            <span class="visually-hidden"> {user.email}</span>
          </button>
          <button
            type="button"
            class="button button--small button--danger-quiet"
            onClick={() => (deleting.value = user)}
          >
            {t("common.delete")}
            <span class="visually-hidden"> {user.email}</span>
          </button>
        </>
      ),
    },
  ];

  return (
    <Page
      title={t("nav.users")}
      intro={t("users.intro")}
      actions={
        !inviting.value && (
          <button type="button" class="button button--primary" onClick={() => (inviting.value = true)}>
            {t("users.invite")}
          </button>
        )
      }
    >
      {inviting.value && (
        <InviteForm
          onCancel={() => (inviting.value = false)}
          onCreated={(user) => {
            inviting.value = false;
            notify(invitedNotice(user));
            pager.reload();
          }}
        />
      )}
      <Table
        label={t("nav.users")}
        columns={columns}
        pager={pager}
        rowKey={(user) => user.id}
        empty={t("users.empty")}
      />
      {editing.value && (
        <EditUserDialog
          user={editing.value}
          isSelf={editing.value.id === selfId}
          onClose={() => (editing.value = null)}
          onSaved={(saved) => {
            editing.value = null;
            pager.rows.value = pager.rows.value.map((row) => (row.id === saved.id ? saved : row));
            notify(t("common.changesSaved"));
          }}
        />
      )}
      {deleting.value && (
        <DeleteUser user={deleting.value} onClose={() => (deleting.value = null)} onDeleted={pager.reload} />
      )}
    </Page>
  );
}

/** What happened to a new user: signed up with a password, or mailed an invitation (or not). */
function invitedNotice(user: CreatedUser): string {
  if (!user.invitation) return t("users.canSignIn", { name: user.name, email: user.email });
  if (user.invitation.sent) return t("users.invitationSent", { email: user.email });
  return t("users.invitationFailed", {
    name: user.name,
    error: user.invitation.error ?? t("users.unknownError"),
  });
}

function DeleteUser({
  user,
  onClose,
  onDeleted,
}: {
  user: User;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const notify = useToast();
  return (
    <ConfirmDialog
      title={t("users.deleteTitle")}
      confirmLabel={t("users.deleteUser")}
      onClose={onClose}
      onConfirm={async () => {
        await api.users.remove(user.id);
        notify(t("users.deleted", { email: user.email }));
        onDeleted();
      }}
    >
      <p>
        <Trans
          k="users.deleteBody"
          values={{ name: user.name, email: user.email }}
          parts={[(s) => <strong>{s}</strong>]}
        />
      </p>
    </ConfirmDialog>
  );
}

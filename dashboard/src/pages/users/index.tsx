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
import { me } from "../../session";
import { EditUserDialog } from "./edit-dialog";
import { InviteForm } from "./invite-form";

export function UsersPage() {
  return (
    <ManagersOnly title="Users">
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
      header: "Name",
      cell: (user) => (
        <>
          <Truncated text={user.name} /> {user.id === selfId && <span class="muted">(you)</span>}
        </>
      ),
    },
    { header: "Email", cell: (user) => <Truncated text={user.email} /> },
    { header: "Role", cell: (user) => <RoleBadge role={user.role} /> },
    {
      header: "Last sign-in",
      cell: (user) => (user.pending ? <span class="muted">Invited</span> : formatDateTime(user.lastLoginAt)),
      class: "nowrap",
    },
    { header: "Added", cell: (user) => formatDateTime(user.createdAt), class: "nowrap" },
    {
      header: "Actions",
      class: "table__actions",
      cell: (user) => (
        <>
          <button type="button" class="button button--small" onClick={() => (editing.value = user)}>
            Edit<span class="visually-hidden"> {user.email}</span>
          </button>
          <button
            type="button"
            class="button button--small button--danger-quiet"
            onClick={() => (deleting.value = user)}
          >
            Delete<span class="visually-hidden"> {user.email}</span>
          </button>
        </>
      ),
    },
  ];

  return (
    <Page
      title="Users"
      intro="People who can sign in to this Edgepost, and what their role lets them do."
      actions={
        !inviting.value && (
          <button type="button" class="button button--primary" onClick={() => (inviting.value = true)}>
            Invite user
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
      <Table label="Users" columns={columns} pager={pager} rowKey={(user) => user.id} empty="No users yet." />
      {editing.value && (
        <EditUserDialog
          user={editing.value}
          isSelf={editing.value.id === selfId}
          onClose={() => (editing.value = null)}
          onSaved={(saved) => {
            editing.value = null;
            pager.rows.value = pager.rows.value.map((row) => (row.id === saved.id ? saved : row));
            notify("Changes saved.");
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
  if (!user.invitation) return `${user.name} can now sign in as ${user.email}.`;
  if (user.invitation.sent) return `Invitation sent to ${user.email}.`;
  return `${user.name} was added, but the invitation mail failed: ${user.invitation.error ?? "unknown error"}. They can use "Forgot password?" on the sign-in page.`;
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
      title="Delete this user?"
      confirmLabel="Delete user"
      onClose={onClose}
      onConfirm={async () => {
        await api.users.remove(user.id);
        notify(`${user.email} was deleted.`);
        onDeleted();
      }}
    >
      <p>
        <strong>{user.name}</strong> ({user.email}) will no longer be able to sign in, and the API keys they
        made are revoked. Their entries in the audit log are kept.
      </p>
    </ConfirmDialog>
  );
}

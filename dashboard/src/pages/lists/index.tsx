import { useSignal } from "@preact/signals";
import { audience, type List } from "../../api/audience";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { usePager } from "../../hooks/use-pager";
import { canEdit } from "../../session";
import { FormSnippetDialog } from "./form-snippet";
import { ListDialog } from "./list-dialog";

const count = (n: number) => n.toLocaleString();

export function ListsPage() {
  const pager = usePager((cursor) => audience.lists.list({ limit: 50, cursor }));
  const editing = useSignal<List | "new" | null>(null);
  const deleting = useSignal<List | null>(null);
  const showingForm = useSignal<List | null>(null);
  const notify = useToast();
  const editable = canEdit.value;

  const columns: Column<List>[] = [
    {
      header: "Name",
      cell: (list) => (
        <>
          <a
            href={`/subscribers?listId=${encodeURIComponent(list.id)}`}
            title="See the subscribers on this list"
          >
            {list.name}
          </a>
          {list.description && <div class="muted cell-note">{list.description}</div>}
        </>
      ),
    },
    {
      header: "Kind",
      cell: (list) => (
        <span class="badges">
          <span class={list.visibility === "public" ? "badge badge--ok" : "badge"}>{list.visibility}</span>
          <span class="badge">{list.optIn} opt-in</span>
        </span>
      ),
    },
    { header: "Confirmed", class: "numeric", cell: (list) => count(list.counts.confirmed) },
    { header: "Unconfirmed", class: "numeric", cell: (list) => count(list.counts.unconfirmed) },
    { header: "Unsubscribed", class: "numeric", cell: (list) => count(list.counts.unsubscribed) },
    {
      header: "Actions",
      class: "table__actions",
      cell: (list) => (
        <>
          {/* The snippet endpoint is for editors, like the lists it signs people up to. */}
          {editable && list.visibility === "public" && (
            <button type="button" class="button button--small" onClick={() => (showingForm.value = list)}>
              Form<span class="visually-hidden"> for {list.name}</span>
            </button>
          )}
          {editable && (
            <>
              <button type="button" class="button button--small" onClick={() => (editing.value = list)}>
                Edit<span class="visually-hidden"> {list.name}</span>
              </button>
              <button
                type="button"
                class="button button--small button--danger-quiet"
                onClick={() => (deleting.value = list)}
              >
                Delete<span class="visually-hidden"> {list.name}</span>
              </button>
            </>
          )}
        </>
      ),
    },
  ];

  return (
    <Page
      title="Lists"
      intro="Lists people subscribe to. Counts are members by status: unconfirmed members of double opt-in lists get no campaigns yet."
      actions={
        editable && (
          <button type="button" class="button button--primary" onClick={() => (editing.value = "new")}>
            New list
          </button>
        )
      }
    >
      <Table label="Lists" columns={columns} pager={pager} rowKey={(list) => list.id} empty="No lists yet." />
      {editing.value && (
        <ListDialog
          list={editing.value === "new" ? undefined : editing.value}
          onClose={() => (editing.value = null)}
          onSaved={(saved) => {
            const created = editing.value === "new";
            editing.value = null;
            notify(created ? `List “${saved.name}” was created.` : "Changes saved.");
            if (created) pager.reload();
            else pager.rows.value = pager.rows.value.map((row) => (row.id === saved.id ? saved : row));
          }}
        />
      )}
      {deleting.value && (
        <ConfirmDialog
          title="Delete this list?"
          confirmLabel="Delete list"
          onClose={() => (deleting.value = null)}
          onConfirm={async () => {
            const list = deleting.value;
            if (!list) return;
            await audience.lists.remove(list.id);
            notify(`List “${list.name}” was deleted.`);
            pager.reload();
          }}
        >
          <p>
            <strong>{deleting.value.name}</strong> and its{" "}
            {count(
              deleting.value.counts.confirmed +
                deleting.value.counts.unconfirmed +
                deleting.value.counts.unsubscribed,
            )}{" "}
            memberships, with their consent records, will be deleted. The subscribers themselves stay. This
            cannot be undone.
          </p>
        </ConfirmDialog>
      )}
      {showingForm.value && (
        <FormSnippetDialog list={showingForm.value} onClose={() => (showingForm.value = null)} />
      )}
    </Page>
  );
}

import { useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { audience, type List } from "../../api/audience";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Field } from "../../components/field";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { Truncated } from "../../components/truncated";
import { usePager } from "../../hooks/use-pager";
import { canEdit } from "../../session";
import { FormSnippetDialog } from "./form-snippet";
import { ListDialog } from "./list-dialog";

const count = (n: number) => n.toLocaleString();
const members = (list: List) => list.counts.confirmed + list.counts.unconfirmed + list.counts.unsubscribed;

/** The live lists, or the archived ones (`?archived=true`): lists deleted while they had members. */
export function ListsPage() {
  const { query, route } = useLocation();
  const archived = query.archived === "true";
  const pager = usePager(
    (cursor) => (archived ? audience.lists.archived : audience.lists.list)({ limit: 50, cursor }),
    String(archived),
  );
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
          <Truncated href={`/subscribers?listId=${encodeURIComponent(list.id)}`} text={list.name} />
          {list.description && (
            <div class="muted cell-note truncate" title={list.description}>
              {list.description}
            </div>
          )}
          {list.archivedAt && (
            <div class="muted cell-note">Archived {new Date(list.archivedAt).toLocaleDateString()}</div>
          )}
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
          {/* Only public lists have a hosted page and a form; a private list's page is a 404. */}
          {editable && list.visibility === "public" && !list.archivedAt && (
            <>
              <button type="button" class="button button--small" onClick={() => (showingForm.value = list)}>
                Form<span class="visually-hidden"> for {list.name}</span>
              </button>
              <a class="button button--small" href={`/lists/${encodeURIComponent(list.id)}/signup`}>
                Signup page<span class="visually-hidden"> of {list.name}</span>
              </a>
            </>
          )}
          {editable && !list.archivedAt && (
            <>
              <button type="button" class="button button--small" onClick={() => (editing.value = list)}>
                Edit<span class="visually-hidden"> {list.name}</span>
              </button>
              <button
                type="button"
                class="button button--small button--danger-quiet"
                onClick={() => (deleting.value = list)}
              >
                {members(list) > 0 ? "Archive" : "Delete"}
                <span class="visually-hidden"> {list.name}</span>
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
      <form class="card filters" aria-label="List filters" onSubmit={(e) => e.preventDefault()}>
        <Field
          id="lists-show"
          label="Show"
          value={archived ? "archived" : ""}
          onInput={(value) => route(value === "archived" ? "/lists?archived=true" : "/lists", true)}
          options={[
            { value: "", label: "Lists in use" },
            { value: "archived", label: "Archived lists" },
          ]}
        />
      </form>
      <Table
        label="Lists"
        columns={columns}
        pager={pager}
        rowKey={(list) => list.id}
        empty={archived ? "No archived lists." : "No lists yet."}
      />
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
      {deleting.value &&
        (members(deleting.value) > 0 ? (
          <ConfirmDialog
            title="Archive this list?"
            confirmLabel="Archive list"
            onClose={() => (deleting.value = null)}
            onConfirm={async () => {
              const list = deleting.value;
              if (!list) return;
              await audience.lists.remove(list.id);
              notify(`List “${list.name}” was archived.`);
              pager.reload();
            }}
          >
            <p>
              <strong>{deleting.value.name}</strong> has {count(members(deleting.value))} memberships, so it
              is archived rather than deleted: their consent records stay, nobody can join it any more and it
              is no longer offered when choosing lists. It stays under “Archived lists”. To remove a person’s
              data, erase the subscriber.
            </p>
          </ConfirmDialog>
        ) : (
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
              <strong>{deleting.value.name}</strong> has no members and will be deleted. This cannot be
              undone.
            </p>
          </ConfirmDialog>
        ))}
      {showingForm.value && (
        <FormSnippetDialog list={showingForm.value} onClose={() => (showingForm.value = null)} />
      )}
    </Page>
  );
}

import { useSignal } from "@preact/signals";
import { audience, type Field } from "../../api/audience";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { canEdit } from "../../session";
import { FieldDialog, TYPE_LABELS } from "./field-dialog";

export function FieldsPage() {
  // The server returns every definition at once (there are few); the pager still follows a cursor.
  const pager = usePager(() => audience.fields.list());
  const editing = useSignal<Field | "new" | null>(null);
  const deleting = useSignal<Field | null>(null);
  const notify = useToast();
  const editable = canEdit.value;

  const columns: Column<Field>[] = [
    { header: "Label", cell: (field) => field.label },
    { header: "Key", cell: (field) => <code>{field.key}</code> },
    { header: "Type", cell: (field) => <span class="badge badge--muted">{TYPE_LABELS[field.type]}</span> },
    {
      header: "Choices",
      cell: (field) => (field.options?.length ? field.options.join(", ") : <span class="muted">—</span>),
    },
    { header: "Created", class: "nowrap", cell: (field) => formatDateTime(field.createdAt) },
    ...(editable
      ? [
          {
            header: "Actions",
            class: "table__actions",
            cell: (field: Field) => (
              <>
                <button type="button" class="button button--small" onClick={() => (editing.value = field)}>
                  Edit<span class="visually-hidden"> {field.key}</span>
                </button>
                <button
                  type="button"
                  class="button button--small button--danger-quiet"
                  onClick={() => (deleting.value = field)}
                >
                  Delete<span class="visually-hidden"> {field.key}</span>
                </button>
              </>
            ),
          },
        ]
      : []),
  ];

  return (
    <Page
      title="Fields"
      intro="Custom subscriber fields, checked on every write, for segments, imports and personalisation."
      actions={
        editable && (
          <button type="button" class="button button--primary" onClick={() => (editing.value = "new")}>
            New field
          </button>
        )
      }
    >
      <Table
        label="Fields"
        columns={columns}
        pager={pager}
        rowKey={(field) => field.id}
        empty="No custom fields yet."
      />
      {editing.value && (
        <FieldDialog
          field={editing.value === "new" ? undefined : editing.value}
          onClose={() => (editing.value = null)}
          onSaved={(saved) => {
            const created = editing.value === "new";
            editing.value = null;
            notify(created ? `Field “${saved.label}” was created.` : "Changes saved.");
            pager.reload();
          }}
        />
      )}
      {deleting.value && (
        <ConfirmDialog
          title="Delete this field?"
          confirmLabel="Delete field"
          onClose={() => (deleting.value = null)}
          onConfirm={async () => {
            const field = deleting.value;
            if (!field) return;
            await audience.fields.remove(field.id);
            notify(`Field “${field.label}” was deleted.`);
            pager.reload();
          }}
        >
          <p>
            <strong>{deleting.value.label}</strong> (<code>{deleting.value.key}</code>) and the value every
            subscriber holds for it will be deleted. Segments, imports and templates that use it will stop
            matching it. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

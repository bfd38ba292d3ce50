import { useSignal } from "@preact/signals";
import { audience, type Field } from "../../api/audience";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { canEdit } from "../../session";
import { FieldDialog, typeLabel } from "./field-dialog";

export function FieldsPage() {
  // The server returns every definition at once (there are few); the pager still follows a cursor.
  const pager = usePager(() => audience.fields.list());
  const editing = useSignal<Field | "new" | null>(null);
  const deleting = useSignal<Field | null>(null);
  const notify = useToast();
  const editable = canEdit.value;

  const columns: Column<Field>[] = [
    { header: t("fields.columns.label"), cell: (field) => field.label },
    { header: t("fields.columns.key"), cell: (field) => <code>{field.key}</code> },
    {
      header: t("fields.columns.type"),
      cell: (field) => <span class="badge badge--muted">{typeLabel(field.type)}</span>,
    },
    {
      header: t("fields.columns.choices"),
      cell: (field) => (field.options?.length ? field.options.join(", ") : <span class="muted">—</span>),
    },
    {
      header: t("fields.columns.created"),
      class: "nowrap",
      cell: (field) => formatDateTime(field.createdAt),
    },
    ...(editable
      ? [
          {
            header: t("common.actions"),
            class: "table__actions",
            cell: (field: Field) => (
              <>
                <button type="button" class="button button--small" onClick={() => (editing.value = field)}>
                  {t("common.edit")}
                  <span class="visually-hidden"> {field.key}</span>
                </button>
                <button
                  type="button"
                  class="button button--small button--danger-quiet"
                  onClick={() => (deleting.value = field)}
                >
                  {t("common.delete")}
                  <span class="visually-hidden"> {field.key}</span>
                </button>
              </>
            ),
          },
        ]
      : []),
  ];

  return (
    <Page
      title={t("fields.title")}
      intro={t("fields.intro")}
      actions={
        editable && (
          <button type="button" class="button button--primary" onClick={() => (editing.value = "new")}>
            {t("fields.new")}
          </button>
        )
      }
    >
      <Table
        label={t("fields.title")}
        columns={columns}
        pager={pager}
        rowKey={(field) => field.id}
        empty={t("fields.empty")}
      />
      {editing.value && (
        <FieldDialog
          field={editing.value === "new" ? undefined : editing.value}
          onClose={() => (editing.value = null)}
          onSaved={(saved) => {
            const created = editing.value === "new";
            editing.value = null;
            notify(created ? t("fields.created", { label: saved.label }) : t("common.changesSaved"));
            pager.reload();
          }}
        />
      )}
      {deleting.value && (
        <ConfirmDialog
          title={t("fields.delete.title")}
          confirmLabel={t("fields.delete.confirm")}
          onClose={() => (deleting.value = null)}
          onConfirm={async () => {
            const field = deleting.value;
            if (!field) return;
            await audience.fields.remove(field.id);
            notify(t("fields.deleted", { label: field.label }));
            pager.reload();
          }}
        >
          <p>
            <Trans
              k="fields.delete.body"
              values={{ label: deleting.value.label, key: deleting.value.key }}
              parts={[(text) => <strong>{text}</strong>, (text) => <code>{text}</code>]}
            />
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

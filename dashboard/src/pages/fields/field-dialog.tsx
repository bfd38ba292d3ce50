import { audience, FIELD_TYPES, type Field, type FieldType, type UpdateField } from "../../api/audience";
import { Dialog } from "../../components/dialog";
import { Field as Input } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";

/** A field type's name in the dashboard's language. */
export function typeLabel(type: FieldType): string {
  return t(`fields.types.${type}`);
}

interface FieldDialogProps {
  /** The field to edit (label and options only); none to define a new one. */
  field?: Field;
  onClose: () => void;
  onSaved: (field: Field) => void;
}

/** Define a custom field, or change an existing one's label and choices. */
export function FieldDialog({ field, onClose, onSaved }: FieldDialogProps) {
  const form = useForm(
    "field",
    {
      key: field?.key ?? "",
      label: field?.label ?? "",
      type: field?.type ?? "text",
      options: (field?.options ?? []).join("\n"),
    },
    { conflictField: "key" },
  );
  const type = toType(form.values.value.type);
  const title = field ? t("fields.dialog.editTitle", { label: field.label }) : t("fields.new");

  const onSubmit = form.submit(async (values) => {
    const options = values.options
      .split("\n")
      .map((option) => option.trim())
      .filter(Boolean);
    if (!field) {
      const chosen = toType(values.type);
      onSaved(
        await audience.fields.create({
          key: values.key.trim(),
          label: values.label.trim(),
          type: chosen,
          ...(chosen === "select" ? { options } : {}),
        }),
      );
      return;
    }
    const changes: UpdateField = {};
    if (values.label.trim() !== field.label) changes.label = values.label.trim();
    if (field.type === "select" && options.join("\n") !== (field.options ?? []).join("\n"))
      changes.options = options;
    onSaved(Object.keys(changes).length ? await audience.fields.update(field.id, changes) : field);
  });

  return (
    <Dialog title={title} onClose={onClose}>
      <form class="form" onSubmit={onSubmit} aria-label={title} noValidate>
        <Input
          {...form.field("key")}
          label={t("fields.columns.key")}
          autoComplete="off"
          required
          disabled={field !== undefined}
          hint={field ? t("fields.dialog.keyFixed") : t("fields.dialog.keyHint")}
        />
        <Input
          {...form.field("label")}
          label={t("fields.columns.label")}
          autoComplete="off"
          required
          hint={t("fields.dialog.labelHint")}
        />
        <Input
          {...form.field("type")}
          label={t("fields.columns.type")}
          options={FIELD_TYPES.map((value) => ({ value, label: typeLabel(value) }))}
          disabled={field !== undefined}
          hint={field ? t("fields.dialog.typeFixed") : undefined}
        />
        {type === "select" && (
          <Input
            {...form.field("options")}
            label={t("fields.columns.choices")}
            multiline
            required
            hint={t("fields.dialog.choicesHint")}
          />
        )}
        <FormActions
          dialog
          form={form}
          onCancel={onClose}
          submitLabel={field ? t("common.saveChanges") : t("fields.dialog.create")}
          busyLabel={t("common.saving")}
        />
      </form>
    </Dialog>
  );
}

/** The type a select's value names; the select only offers types, so anything else is a bug. */
function toType(value: string): FieldType {
  const match = FIELD_TYPES.find((type) => type === value);
  if (!match) throw new Error(`Unknown field type "${value}"`);
  return match;
}

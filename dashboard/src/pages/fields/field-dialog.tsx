import { audience, FIELD_TYPES, type Field, type FieldType, type UpdateField } from "../../api/audience";
import { Dialog } from "../../components/dialog";
import { Field as Input } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { useForm } from "../../hooks/use-form";

export const TYPE_LABELS: Record<FieldType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  boolean: "Yes/no",
  select: "Choice",
};

const TYPE_OPTIONS = FIELD_TYPES.map((type) => ({ value: type, label: TYPE_LABELS[type] }));

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
  const title = field ? `Edit ${field.label}` : "New field";

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
          label="Key"
          autoComplete="off"
          required
          disabled={field !== undefined}
          hint={
            field
              ? "The key cannot change: imports, segments and templates refer to it."
              : "Used in imports, segments and templates, e.g. “plan” or “signup_source”. Lower-case letters, digits and _."
          }
        />
        <Input
          {...form.field("label")}
          label="Label"
          autoComplete="off"
          required
          hint="What people see in the dashboard."
        />
        <Input
          {...form.field("type")}
          label="Type"
          options={TYPE_OPTIONS}
          disabled={field !== undefined}
          hint={field ? "The type cannot change: stored values depend on it." : undefined}
        />
        {type === "select" && (
          <Input {...form.field("options")} label="Choices" multiline required hint="One per line." />
        )}
        <FormActions
          dialog
          form={form}
          onCancel={onClose}
          submitLabel={field ? "Save changes" : "Create field"}
          busyLabel="Saving…"
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

import { audience, type List, type UpdateList } from "../../api/audience";
import { Dialog } from "../../components/dialog";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";

const OPT_INS = [{ value: "single" }, { value: "double" }] as const satisfies readonly {
  value: List["optIn"];
}[];

const VISIBILITIES = [{ value: "private" }, { value: "public" }] as const satisfies readonly {
  value: List["visibility"];
}[];

interface ListDialogProps {
  /** The list to edit; none to create one. */
  list?: List;
  onClose: () => void;
  onSaved: (list: List) => void;
}

/** Create or edit a list: name, description, opt-in and visibility. Edits send only changes. */
export function ListDialog({ list, onClose, onSaved }: ListDialogProps) {
  const form = useForm("list", {
    name: list?.name ?? "",
    description: list?.description ?? "",
    optIn: list?.optIn ?? "single",
    visibility: list?.visibility ?? "private",
  });
  const values = form.values.value;
  const optIn = pick(OPT_INS, values.optIn);
  const visibility = pick(VISIBILITIES, values.visibility);
  const title = list ? t("lists.dialog.editTitle", { name: list.name }) : t("lists.new");

  const onSubmit = form.submit(async (next) => {
    const body = {
      name: next.name.trim(),
      description: next.description.trim() || null,
      optIn: pick(OPT_INS, next.optIn),
      visibility: pick(VISIBILITIES, next.visibility),
    };
    if (!list) {
      onSaved(await audience.lists.create(body));
      return;
    }
    const changes: UpdateList = {};
    if (body.name !== list.name) changes.name = body.name;
    if (body.description !== list.description) changes.description = body.description;
    if (body.optIn !== list.optIn) changes.optIn = body.optIn;
    if (body.visibility !== list.visibility) changes.visibility = body.visibility;
    onSaved(Object.keys(changes).length ? await audience.lists.update(list.id, changes) : list);
  });

  return (
    <Dialog title={title} onClose={onClose}>
      <form class="form" onSubmit={onSubmit} aria-label={title} noValidate>
        <Field {...form.field("name")} label={t("common.name")} autoComplete="off" required />
        <Field
          {...form.field("description")}
          label={t("lists.dialog.description")}
          multiline
          hint={t("lists.dialog.descriptionHint")}
        />
        <Field
          {...form.field("optIn")}
          label={t("lists.dialog.optIn")}
          options={OPT_INS.map(({ value }) => ({ value, label: t(`lists.dialog.optIns.${value}`) }))}
          hint={t(`lists.dialog.optInHints.${optIn}`)}
        />
        <Field
          {...form.field("visibility")}
          label={t("lists.dialog.visibility")}
          options={VISIBILITIES.map(({ value }) => ({
            value,
            label: t(`lists.dialog.visibilities.${value}`),
          }))}
          hint={t(`lists.dialog.visibilityHints.${visibility}`)}
        />
        <FormActions
          dialog
          form={form}
          onCancel={onClose}
          submitLabel={list ? t("common.saveChanges") : t("lists.dialog.create")}
          busyLabel={t("common.saving")}
        />
      </form>
    </Dialog>
  );
}

/** The option a select's value names; the select only offers these, so anything else is a bug. */
function pick<T extends string>(options: readonly { value: T }[], value: string): T {
  const match = options.find((option) => option.value === value);
  if (!match) throw new Error(`Unknown option "${value}"`);
  return match.value;
}

import { audience, type List, type UpdateList } from "../../api/audience";
import { Dialog } from "../../components/dialog";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { useForm } from "../../hooks/use-form";

const OPT_INS = [
  { value: "single", label: "Single opt-in" },
  { value: "double", label: "Double opt-in" },
] as const satisfies readonly { value: List["optIn"]; label: string }[];

const VISIBILITIES = [
  { value: "private", label: "Private" },
  { value: "public", label: "Public" },
] as const satisfies readonly { value: List["visibility"]; label: string }[];

const OPT_IN_HINTS: Record<List["optIn"], string> = {
  single: "People are on the list as soon as they sign up.",
  double: "People confirm by clicking a link mailed to them before they get any mail.",
};

const VISIBILITY_HINTS: Record<List["visibility"], string> = {
  private: "Only you add people: by hand, import or the API.",
  public: "Anyone can sign up with a subscription form, and subscribers see it in their preferences.",
};

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
  const title = list ? `Edit ${list.name}` : "New list";

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
        <Field {...form.field("name")} label="Name" autoComplete="off" required />
        <Field
          {...form.field("description")}
          label="Description"
          multiline
          hint="Optional. Public lists show it on subscription and preference pages."
        />
        <Field {...form.field("optIn")} label="Opt-in" options={OPT_INS} hint={OPT_IN_HINTS[optIn]} />
        <Field
          {...form.field("visibility")}
          label="Visibility"
          options={VISIBILITIES}
          hint={VISIBILITY_HINTS[visibility]}
        />
        <FormActions
          dialog
          form={form}
          onCancel={onClose}
          submitLabel={list ? "Save changes" : "Create list"}
          busyLabel="Saving…"
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

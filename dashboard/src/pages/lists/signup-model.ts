import type { List, ListLanguage, UpdateListForm } from "../../api/audience";
import { ApiError } from "../../api/errors";
import { LOCALE_NAMES, LOCALES } from "../../i18n";

/** The signup form as the builder edits it: texts as strings ("" means the list's own), the fields in order. */
export interface Draft {
  title: string;
  intro: string;
  buttonLabel: string;
  successMessage: string;
  name: List["form"]["name"];
  language: ListLanguage | "";
  fields: { key: string; required: boolean }[];
}

export type DraftKey = "title" | "intro" | "buttonLabel" | "successMessage" | "name" | "language" | "fields";

/** The page's language choices; each language by its own name, the first (none) worded by the caller. */
export const LANGUAGES: { value: ListLanguage | ""; label?: string }[] = [
  { value: "" },
  ...LOCALES.map((value) => ({ value, label: LOCALE_NAMES[value] })),
];

/** How the form asks for the name; worded by `lists.signup.nameModes.<mode>`. */
export const NAME_MODES: Draft["name"][] = ["optional", "required", "hidden"];

export function toDraft(list: List): Draft {
  return {
    title: list.form.title ?? "",
    intro: list.form.intro ?? "",
    buttonLabel: list.form.buttonLabel ?? "",
    successMessage: list.form.successMessage ?? "",
    name: list.form.name,
    language: list.language ?? "",
    fields: list.form.fields.map((f) => ({ ...f })),
  };
}

/** The PATCH body: the whole form (empty texts become null: the list's own) and the language. */
export function toBody(draft: Draft): { form: UpdateListForm; language: ListLanguage | null } {
  const text = (value: string) => value.trim() || null;
  return {
    form: {
      title: text(draft.title),
      intro: text(draft.intro),
      buttonLabel: text(draft.buttonLabel),
      successMessage: text(draft.successMessage),
      name: draft.name,
      fields: draft.fields,
    },
    language: draft.language || null,
  };
}

/** A 400's issues by input: `["form", "title"]` beside the title, any field issue beside the field list. */
export function draftErrors(error: unknown): Partial<Record<DraftKey, string>> {
  const out: Partial<Record<DraftKey, string>> = {};
  if (!(error instanceof ApiError)) return out;
  for (const issue of error.issues) {
    const [first, second] = issue.path;
    const key = (first === "form" ? second : first) as DraftKey | undefined;
    if (
      key &&
      ["title", "intro", "buttonLabel", "successMessage", "name", "language", "fields"].includes(key)
    ) {
      out[key] ??= issue.message;
    }
  }
  return out;
}

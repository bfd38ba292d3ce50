import { inArray } from "drizzle-orm";
import type { ListFormConfig } from "../../../schema/lists";
import { fields } from "../../../schema/subscribers";
import type { UpdateListForm } from "../../contract/audience";
import type { Database } from "../../lib/db";
import { AppError } from "../../lib/errors";

/** A list's signup form before anyone configured it: email and an optional name, the list's texts. */
export const DEFAULT_LIST_FORM: ListFormConfig = {
  title: null,
  intro: null,
  buttonLabel: null,
  successMessage: null,
  name: "optional",
  fields: [],
};

/** The stored form (null for never configured) with every key filled in. */
export function formOf(stored: ListFormConfig | null | undefined): ListFormConfig {
  return { ...DEFAULT_LIST_FORM, ...(stored ?? {}) };
}

/** A partial change over the current form; `fields` is replaced as a whole. */
export function mergeForm(current: ListFormConfig | null, patch: UpdateListForm): ListFormConfig {
  const next = formOf(current);
  return {
    title: patch.title !== undefined ? patch.title || null : next.title,
    intro: patch.intro !== undefined ? patch.intro || null : next.intro,
    buttonLabel: patch.buttonLabel !== undefined ? patch.buttonLabel || null : next.buttonLabel,
    successMessage: patch.successMessage !== undefined ? patch.successMessage || null : next.successMessage,
    name: patch.name ?? next.name,
    fields: patch.fields ?? next.fields,
  };
}

/** 400 naming each form field that is not a defined custom field. */
export async function assertFormFields(db: Database, form: ListFormConfig): Promise<void> {
  const keys = form.fields.map((f) => f.key);
  if (keys.length === 0) return;
  const known = new Set(
    (await db.select({ key: fields.key }).from(fields).where(inArray(fields.key, keys))).map((r) => r.key),
  );
  const unknown = form.fields.map((f, i) => ({ key: f.key, i })).filter((f) => !known.has(f.key));
  if (unknown.length > 0) {
    throw new AppError(
      "validation_failed",
      `Unknown custom field: ${unknown.map((f) => f.key).join(", ")} (define it under Fields first)`,
      unknown.map((f) => ({ path: ["form", "fields", f.i, "key"], message: `unknown field "${f.key}"` })),
    );
  }
}

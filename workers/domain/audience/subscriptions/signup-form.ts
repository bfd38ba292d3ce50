import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { type ListFormConfig, type ListLanguage, lists } from "../../../../schema/lists";
import { type FieldType, fields } from "../../../../schema/subscribers";
import type { Database } from "../../../lib/db";
import { AppError } from "../../../lib/errors";
import { checkFieldValue } from "../field-values";
import { formOf } from "../list-form";
import { isUuid } from "./links";

/**
 * What a public list's signup form asks for: the hosted page (`GET /subscribe/:listId`) renders
 * it, and `subscribe` accepts exactly these custom fields, checked by their types.
 */

type ListRow = typeof lists.$inferSelect;

export interface SignupField {
  key: string;
  label: string;
  type: FieldType;
  options: string[] | null;
  required: boolean;
}

export interface SignupForm {
  list: { id: string; name: string; description: string | null; optIn: "single" | "double" };
  language: ListLanguage | null;
  form: ListFormConfig;
  /** The form's custom fields whose definitions still exist, in the form's order. */
  fields: SignupField[];
}

/** The form of a live public list; null for an unknown, private or archived one (a 404 page). */
export async function getSignupForm(db: Database, listId: string): Promise<SignupForm | null> {
  if (!isUuid(listId)) return null;
  const [row] = await db
    .select()
    .from(lists)
    .where(and(eq(lists.id, listId), eq(lists.visibility, "public"), isNull(lists.archivedAt)));
  if (!row) return null;
  return signupFormOf(db, row);
}

type FormListRow = Pick<ListRow, "id" | "name" | "description" | "optIn" | "language" | "form">;

/** A list's form with its fields' definitions (labels, types, options) read. */
export async function signupFormOf(db: Database, row: FormListRow): Promise<SignupForm> {
  const form = formOf(row.form);
  return {
    list: { id: row.id, name: row.name, description: row.description, optIn: row.optIn },
    language: row.language ?? null,
    form,
    fields: await fieldsOf(db, form.fields),
  } satisfies SignupForm;
}

async function fieldsOf(db: Database, chosen: ListFormConfig["fields"]): Promise<SignupField[]> {
  if (chosen.length === 0) return [];
  const defs = await db
    .select({ key: fields.key, label: fields.label, type: fields.type, options: fields.options })
    .from(fields)
    .where(
      inArray(
        fields.key,
        chosen.map((f) => f.key),
      ),
    )
    .orderBy(asc(fields.key));
  return chosen.flatMap((c) => {
    const def = defs.find((d) => d.key === c.key);
    return def ? [{ ...def, required: c.required }] : [];
  });
}

/** What a submission to some lists may carry: each field once (required if any list requires it). */
export async function offeredFields(
  db: Database,
  chosen: ListRow[],
): Promise<{ fields: SignupField[]; nameRequired: boolean }> {
  const forms = chosen.map((l) => formOf(l.form));
  const merged = new Map<string, boolean>();
  for (const f of forms.flatMap((form) => form.fields)) merged.set(f.key, merged.get(f.key) || f.required);
  const all = await fieldsOf(
    db,
    [...merged].map(([key, required]) => ({ key, required })),
  );
  return { fields: all, nameRequired: forms.some((f) => f.name === "required") };
}

const empty = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/**
 * The submitted custom field values, checked against the form's fields: one 400 listing every
 * problem (a field the form does not ask for, a missing required one, a value of the wrong type).
 * Form posts send text, so numbers and booleans may arrive as strings; empty values are left out.
 */
export function checkSignupValues(offered: SignupField[], raw: unknown): Record<string, unknown> {
  if (raw !== undefined && raw !== null && (typeof raw !== "object" || Array.isArray(raw))) {
    throw new AppError("validation_failed", "fields must be an object of field values", [
      { path: ["fields"], message: "must be an object" },
    ]);
  }
  const values = (raw ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const issues: { path: string[]; message: string }[] = [];
  for (const key of Object.keys(values)) {
    if (!offered.some((f) => f.key === key)) {
      issues.push({ path: ["fields", key], message: `this form does not ask for "${key}"` });
    }
  }
  for (const field of offered) {
    const value = values[field.key];
    if (empty(value) || (field.type === "boolean" && field.required && !isTrue(value))) {
      if (field.required) issues.push({ path: ["fields", field.key], message: `${field.label} is required` });
      continue;
    }
    const r = checkFieldValue(field, typeof value === "string" ? value.trim() : value, true);
    if (r.ok) out[field.key] = r.value;
    else issues.push({ path: ["fields", field.key], message: r.reason.replace(field.key, field.label) });
  }
  if (issues.length > 0) {
    throw new AppError("validation_failed", issues.map((i) => i.message).join("; "), issues);
  }
  return out;
}

const isTrue = (v: unknown) =>
  v === true || (typeof v === "string" && ["true", "on", "1", "yes"].includes(v));

/** The page language a list names (null: none, or no such list). */
export async function languageOfList(
  db: Database,
  listId: string | null | undefined,
): Promise<string | null> {
  if (!listId || !isUuid(listId)) return null;
  const [row] = await db.select({ language: lists.language }).from(lists).where(eq(lists.id, listId));
  return row?.language ?? null;
}

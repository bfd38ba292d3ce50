import { asc } from "drizzle-orm";
import { type FieldType, fields } from "../../../schema/subscribers";
import type { Database } from "../../lib/db";
import { AppError } from "../../lib/errors";

export interface FieldDef {
  key: string;
  type: FieldType;
  options: string[] | null;
}

export const MAX_TEXT_FIELD_LENGTH = 2000;

export type FieldValueCheck = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Checks one custom field value against its definition and returns the stored form: text as a
 * string, number as a JSON number, date as `YYYY-MM-DD` or a full ISO-8601 UTC time, boolean as
 * a JSON boolean, select as one of the options. `null` clears a value. With `lenient` (CSV
 * input, where everything is text) numbers and booleans may arrive as strings.
 */
export function checkFieldValue(def: FieldDef, raw: unknown, lenient = false): FieldValueCheck {
  if (raw === null) return { ok: true, value: null };
  const bad = (reason: string): FieldValueCheck => ({ ok: false, reason: `${def.key}: ${reason}` });
  switch (def.type) {
    case "text":
      if (typeof raw !== "string") return bad("must be text");
      if (raw.length > MAX_TEXT_FIELD_LENGTH)
        return bad(`is longer than ${MAX_TEXT_FIELD_LENGTH} characters`);
      return { ok: true, value: raw };
    case "number": {
      const n =
        typeof raw === "number" ? raw : lenient && typeof raw === "string" ? Number(raw.trim()) : Number.NaN;
      if (typeof raw === "string" && raw.trim() === "") return bad("must be a number");
      if (!Number.isFinite(n)) return bad("must be a number");
      return { ok: true, value: n };
    }
    case "boolean": {
      if (typeof raw === "boolean") return { ok: true, value: raw };
      if (lenient && typeof raw === "string") {
        const v = raw.trim().toLowerCase();
        if (["true", "yes", "y", "1"].includes(v)) return { ok: true, value: true };
        if (["false", "no", "n", "0"].includes(v)) return { ok: true, value: false };
      }
      return bad("must be true or false");
    }
    case "date": {
      if (typeof raw !== "string") return bad("must be a date (YYYY-MM-DD or ISO-8601)");
      const v = raw.trim();
      if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
        const d = new Date(`${v}T00:00:00Z`);
        if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) return bad("is not a real date");
        return { ok: true, value: v };
      }
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) {
        const d = new Date(v);
        if (Number.isNaN(d.getTime())) return bad("is not a real time");
        return { ok: true, value: d.toISOString() };
      }
      return bad("must be a date (YYYY-MM-DD or ISO-8601 with a time zone)");
    }
    case "select": {
      if (typeof raw !== "string") return bad("must be one of the field's options");
      if (!def.options?.includes(raw)) return bad(`must be one of: ${(def.options ?? []).join(", ")}`);
      return { ok: true, value: raw };
    }
  }
}

/** All field definitions, keyed by `key`. */
export async function loadFieldDefs(db: Database): Promise<Map<string, FieldDef>> {
  const rows = await db
    .select({ key: fields.key, type: fields.type, options: fields.options })
    .from(fields)
    .orderBy(asc(fields.key));
  return new Map(rows.map((r) => [r.key, r]));
}

/**
 * Validates a set of custom field values against the definitions; throws one 400 listing every
 * problem (unknown keys included) so a form can show each beside its field.
 */
export function validateFieldValues(
  defs: Map<string, FieldDef>,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const issues: { path: string[]; message: string }[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const def = defs.get(key);
    if (!def) {
      issues.push({
        path: ["fields", key],
        message: `unknown field "${key}" (define it under /api/v1/fields)`,
      });
      continue;
    }
    const r = checkFieldValue(def, raw);
    if (r.ok) out[key] = r.value;
    else issues.push({ path: ["fields", key], message: r.reason });
  }
  if (issues.length > 0) throw new AppError("validation_failed", "Some field values are invalid", issues);
  return out;
}

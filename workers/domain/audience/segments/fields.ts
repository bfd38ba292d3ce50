import { type SQL, sql } from "drizzle-orm";
import { subscribers } from "../../../../schema/subscribers";
import type { FieldDef } from "../field-values";
import type { FieldOp } from "./rules";

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` -> that day's first instant; full times are already `toISOString()` form. */
const dayStart = (v: string) => (v.length === 10 ? `${v}T00:00:00.000Z` : v);
const nextDayStart = (v: string) => new Date(Date.parse(dayStart(v)) + DAY_MS).toISOString();

/** SQL true or false, never NULL. */
const yes = (cond: SQL) => sql`coalesce(${cond}, false)`;

/** A field's SQL: its JSON value, its text, and `typed`, an expression used only when the JSON is of a type. */
interface FieldSql {
  key: string;
  json: SQL;
  text: SQL;
  typed(type: string, expr: SQL): SQL;
}

function fieldSql(key: string): FieldSql {
  const f = subscribers.fields;
  const json = sql`(${f} -> ${key}::text)`;
  return {
    key,
    json,
    text: sql`(${f} ->> ${key}::text)`,
    typed: (type, expr) => sql`case when jsonb_typeof(${json}) = ${type} then ${expr} end`,
  };
}

/**
 * One field condition as SQL. Field keys and values are always bind parameters (`fields -> $1`).
 * Every result is two-valued (never NULL), so `not` is an exact complement: `neq` and `not eq`
 * both include subscribers without the field.
 */
export function compileFieldCondition(def: FieldDef, op: FieldOp, value: unknown): SQL {
  const field = fieldSql(def.key);
  if (op === "isSet") return isSetCondition(field, value);
  // Numbers and dates have their own comparisons; their eq and neq are the generic ones.
  const typed =
    def.type === "number"
      ? numberCondition(field, op, value)
      : def.type === "date"
        ? dateCondition(field, op, value)
        : undefined;
  const condition = typed ?? textCondition(field, op, value);
  if (condition) return condition;
  // parseSegmentRules only lets through operators listed for the type.
  throw new Error(`operator ${op} on a ${def.type} field reached the compiler`);
}

/** `isSet`: present, not JSON null and not empty text; `value: false` asks for the opposite. */
function isSetCondition({ json, text }: FieldSql, value: unknown): SQL {
  const set = sql`coalesce(jsonb_typeof(${json}), 'null') <> 'null' and ${text} <> ''`;
  return value === false ? sql`(not ${yes(sql`(${set})`)})` : yes(sql`(${set})`);
}

function numberCondition({ text, typed }: FieldSql, op: FieldOp, value: unknown): SQL | undefined {
  const n = typed("number", sql`${text}::numeric`);
  switch (op) {
    case "gt":
      return yes(sql`(${n} > ${value}::numeric)`);
    case "gte":
      return yes(sql`(${n} >= ${value}::numeric)`);
    case "lt":
      return yes(sql`(${n} < ${value}::numeric)`);
    case "lte":
      return yes(sql`(${n} <= ${value}::numeric)`);
  }
  return undefined;
}

function dateCondition({ text, typed }: FieldSql, op: FieldOp, value: unknown): SQL | undefined {
  // Stored dates are `YYYY-MM-DD` or `toISOString()` (UTC, fixed width): compared as bytes
  // (collate "C") after widening dates to midnight, with no cast that a bad value could break.
  const d = sql`(${typed("string", sql`case when length(${text}) = 10 then ${text} || 'T00:00:00.000Z' else ${text} end`)}) collate "C"`;
  const v = String(value);
  switch (op) {
    case "before":
      return yes(sql`(${d} < ${dayStart(v)})`);
    case "after":
      return v.length === 10 ? yes(sql`(${d} >= ${nextDayStart(v)})`) : yes(sql`(${d} > ${v})`);
    case "withinDays": {
      // Since the start of the UTC day N days ago, up to now (future dates are not "within").
      const since = new Date(Date.now() - Number(value) * DAY_MS).toISOString().slice(0, 10);
      return yes(sql`(${d} >= ${dayStart(since)} and ${d} <= ${new Date().toISOString()})`);
    }
    case "eq":
    case "neq": {
      const on =
        v.length === 10
          ? yes(sql`(${d} >= ${dayStart(v)} and ${d} < ${nextDayStart(v)})`)
          : yes(sql`(${d} = ${v})`);
      return op === "eq" ? on : sql`(not ${on})`;
    }
  }
  return undefined;
}

/** Equality for every type (as JSON containment), and the text operators. */
function textCondition({ key, text, typed }: FieldSql, op: FieldOp, value: unknown): SQL | undefined {
  // Containment is what the GIN (jsonb_path_ops) index on `fields` serves.
  const contains = (v: unknown) => sql`(${subscribers.fields} @> ${JSON.stringify({ [key]: v })}::jsonb)`;
  const lowered = typed("string", sql`lower(${text})`);
  switch (op) {
    case "eq":
      return contains(value);
    case "neq":
      return sql`(not ${contains(value)})`;
    case "contains":
      // strpos, not LIKE: `%`, `_` and `\` in the value are plain characters.
      return yes(sql`(strpos(${lowered}, lower(${value}::text)) > 0)`);
    case "startsWith":
      return yes(sql`starts_with(${lowered}, lower(${value}::text))`);
  }
  return undefined;
}

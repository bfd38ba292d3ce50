/** A row as JSON shows it: Dates become ISO strings. */
export type Jsonify<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

/** Converts the Date fields of a row to ISO-8601 strings, as the API contract requires. */
export function toJson<T extends object>(row: T): Jsonify<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out as Jsonify<T>;
}

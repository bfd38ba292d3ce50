/**
 * Reads the served OpenAPI document for the fuzz test: each operation with its parameters and
 * JSON body schema ($refs resolved), and a valid-enough sample value for any schema, so that a
 * variant breaking one property reaches the code behind validation of the others.
 */

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  example?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
}

export interface Param {
  name: string;
  in: "path" | "query";
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  path: string;
  minRole: string;
  params: Param[];
  /** The application/json request body, when the operation takes one. */
  body: JsonSchema | null;
  /** Documented response statuses, with the JSON schema of each answer that has one. */
  responses: Record<number, JsonSchema | null>;
}

export interface Doc {
  paths: Record<string, Record<string, Record<string, any>>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Every operation of the document with $refs resolved (the document has no cycles). */
export function operationsOf(doc: Doc): Operation[] {
  const resolve = (s: JsonSchema | undefined): JsonSchema => {
    if (!s) return {};
    if (s.$ref) return resolve(doc.components.schemas[s.$ref.replace("#/components/schemas/", "")]);
    const out: JsonSchema = { ...s };
    if (s.properties) {
      out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, resolve(v)]));
    }
    if (s.items) out.items = resolve(s.items);
    for (const k of ["anyOf", "oneOf", "allOf"] as const) if (s[k]) out[k] = s[k].map(resolve);
    if (s.allOf) return Object.assign({}, ...out.allOf!, { allOf: undefined });
    return out;
  };
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        minRole: op["x-min-role"],
        params: (op.parameters ?? []).map((p: Param) => ({ ...p, schema: resolve(p.schema) })),
        body: op.requestBody?.content?.["application/json"]
          ? resolve(op.requestBody.content["application/json"].schema)
          : null,
        responses: Object.fromEntries(
          Object.entries(op.responses ?? {}).map(([status, r]: [string, any]) => {
            const schema = r?.content?.["application/json"]?.schema;
            return [Number(status), schema ? resolve(schema) : null];
          }),
        ),
      });
    }
  }
  return ops;
}

/** The JSON types a schema admits ("integer" counts as a number). */
export function typesOf(s: JsonSchema): string[] {
  if (s.anyOf || s.oneOf) return [...new Set((s.anyOf ?? s.oneOf ?? []).flatMap(typesOf))];
  if (s.enum) return [...new Set(s.enum.map((v) => (v === null ? "null" : typeof v)))];
  const t = s.type ?? (s.properties ? "object" : undefined);
  if (!t) return ["string", "number", "integer", "boolean", "object", "array", "null"];
  const list = Array.isArray(t) ? t : [t];
  return list.flatMap((x) => (x === "integer" || x === "number" ? ["integer", "number"] : [x]));
}

/** Real ids of this run's records, by the property or path segment that names them. */
export type Fixtures = Record<string, string>;

let unique = 0;
/** Strings that satisfy the usual patterns of this API (keys, domains, hosts, selectors). */
const PATTERN_CANDIDATES = () => [`fz_${++unique}`, `fuzz-${++unique}.example.com`, "127.0.0.1", "fz"];

/**
 * A value the schema accepts, using the run's real ids where a property names one: with the
 * required properties only, or with every property when `full` (so that a variant breaking a
 * nested property has valid siblings).
 */
export function sample(s: JsonSchema, name: string, fx: Fixtures, full = false): unknown {
  // A whole body's example names ids of no record here: the run's fixtures reach further.
  if (s.example !== undefined && typeof s.example === "object" && name !== "body") return s.example;
  if (s.enum) return s.enum[0];
  if (s.anyOf || s.oneOf) return sample((s.anyOf ?? s.oneOf ?? [])[0] ?? {}, name, fx, full);
  const types = typesOf(s).filter((t) => t !== "null");
  const type = types[0] ?? "null";
  if (type === "string") return sampleString(s, name, fx);
  if (type === "integer" || type === "number") {
    return Math.max(
      s.minimum ?? 1,
      Math.min(s.maximum ?? 10, s.default === undefined ? 1 : Number(s.default)),
    );
  }
  if (type === "boolean") return false;
  if (type === "array") {
    const n = Math.max(s.minItems ?? 0, 1);
    return Array.from({ length: n }, () => sample(s.items ?? {}, singular(name), fx, full));
  }
  if (type === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if (full || s.required?.includes(k) || idName(k, fx)) out[k] = sample(v, k, fx, full);
    }
    return out;
  }
  return null;
}

const singular = (name: string) => name.replace(/Ids$/, "Id").replace(/s$/, "");

/** `templateId` → fixtures.templates; null when the name is no fixture's. */
function idName(name: string, fx: Fixtures): string | null {
  const m = /^(\w+?)Ids?$/.exec(name);
  return m ? (fx[`${m[1]}s`] ?? null) : null;
}

function sampleString(s: JsonSchema, name: string, fx: Fixtures): string {
  if (s.format === "uuid") return idName(name, fx) ?? crypto.randomUUID();
  if (s.format === "email" || /^(e?mail|to)$/i.test(name)) return `fuzz-${++unique}@example.com`;
  if (s.format === "date-time") return "2099-01-01T00:00:00.000Z";
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    const found = PATTERN_CANDIDATES().find((c) => re.test(c));
    if (found) return found;
  }
  if (/html/i.test(name))
    return `<p>Hi {{ subscriber.name }}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>`;
  if (/password/i.test(name)) return "fuzz password 12345";
  const base = `fuzz ${name} ${++unique}`;
  return base.slice(0, Math.max(s.minLength ?? 1, Math.min(s.maxLength ?? base.length, base.length)));
}

/** Where `value` breaks schema `s` (types, enums, required properties, items), or null. */
export function mismatch(s: JsonSchema, value: unknown, at = "$"): string | null {
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    const misses = alternatives.map((alt) => mismatch(alt, value, at));
    return misses.includes(null) ? null : (misses[0] ?? `${at}: matches no alternative`);
  }
  if (s.enum && !s.enum.includes(value))
    return `${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`;
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const actual =
      value === null
        ? "null"
        : Array.isArray(value)
          ? "array"
          : typeof value === "number"
            ? "number"
            : typeof value;
    const ok = types.some((t) =>
      t === "integer" ? Number.isInteger(value) : t === "number" ? actual === "number" : t === actual,
    );
    if (!ok) return `${at}: ${JSON.stringify(value)?.slice(0, 80)} is not ${types.join(" or ")}`;
  }
  if (Array.isArray(value) && s.items) {
    for (const [i, item] of value.entries()) {
      const miss = mismatch(s.items, item, `${at}[${i}]`);
      if (miss) return miss;
    }
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in obj)) return `${at}.${k} is missing`;
    for (const [k, sub] of Object.entries(s.properties ?? {})) {
      if (obj[k] === undefined) continue;
      const miss = mismatch(sub, obj[k], `${at}.${k}`);
      if (miss) return miss;
    }
  }
  return null;
}

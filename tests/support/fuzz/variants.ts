/**
 * Hostile requests for one operation of the OpenAPI document: each breaks one thing (a body
 * property, the body as a whole, a path id, a query parameter) and keeps the rest valid, so the
 * break reaches as deep into the handler as it can.
 */
import { type Fixtures, type JsonSchema, type Operation, sample, typesOf } from "./schema";
import {
  DEEP_ARRAY,
  DEEP_OBJECT,
  EXTRA_FIELDS,
  HOSTILE_NUMBERS,
  HOSTILE_STRINGS,
  hugeStrings,
  type Prng,
  Raw,
  TYPED_VALUES,
  toJsonText,
} from "./values";

export interface Variant {
  /** What was broken, for the failure report. */
  label: string;
  method: string;
  /** Path and query, ready for fetch. */
  url: string;
  body?: string;
  contentType?: string;
  as: "owner" | "analyst";
}

const b64url = (s: string) => Buffer.from(s).toString("base64url");
const cursorOf = (key: unknown) => b64url(JSON.stringify(key));

/** Path segments no route ever hands out, already URL-encoded. */
const BAD_PATH_IDS: Record<string, string> = {
  "non-UUID": "not-a-uuid",
  "UUID of nothing": "00000000-0000-7000-8000-000000000000",
  "nil UUID": "00000000-0000-0000-0000-000000000000",
  "UUID-shaped non-hex": "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
  "UUID in braces": "%7B00000000-0000-7000-8000-000000000000%7D",
  "SQL-ish": encodeURIComponent("1' OR '1'='1"),
  NUL: "a%00b",
  "invalid UTF-8": "%FF%FE",
  "encoded lone surrogate": "%ED%A0%80",
  "broken escape": "%zz",
  "encoded slash": "a%2Fb",
  "5,000 characters": "a".repeat(5000),
  unicode: encodeURIComponent("😀\u202e\u200f"),
  "2^63": "9223372036854775808",
  "-1": "-1",
  "1e309": "1e309",
};

/** Query values, already URL-encoded; cursors get BAD_CURSORS as well. */
const BAD_QUERY_VALUES: Record<string, string> = {
  empty: "",
  NUL: "%00",
  "invalid UTF-8": "%FF",
  "broken escape": "%",
  "5,000 characters": "q".repeat(5000),
  "-1": "-1",
  zero: "0",
  "2^31": "2147483648",
  "2^63": "9223372036854775808",
  "1e309": "1e309",
  NaN: "NaN",
  fraction: "1.5",
  true: "true",
  "SQL-ish": encodeURIComponent("' OR 1=1 --"),
  "LIKE wildcards": encodeURIComponent("%_\\"),
  unicode: encodeURIComponent("😀\u202e\u200fx"),
  "encoded lone surrogate": "%ED%A0%80",
  "date out of range": encodeURIComponent("-200000-01-01T00:00:00.000Z"),
  "not a date": "2024-13-45",
  "UUID of nothing": "00000000-0000-7000-8000-000000000000",
};

export const BAD_CURSORS: Record<string, string> = {
  "cursor with non-UUID id": cursorOf({ id: "not-a-uuid" }),
  "cursor with NUL id": cursorOf({ id: "a\u0000b" }),
  "cursor with huge number": cursorOf({ id: "99999999999999999999999" }),
  "cursor with object id": cursorOf({ id: { a: 1 } }),
  "cursor with bad time": cursorOf({
    id: "00000000-0000-7000-8000-000000000000",
    t: "+275760-09-13T00:00:00Z",
  }),
  "cursor of JSON null": cursorOf(null),
  "cursor deep": b64url(DEEP_ARRAY.text),
  "cursor not base64": "!!!~~~",
};

/** Operations whose real target is never hit: deleting, sending or cancelling the run's own fixtures. */
const noRealTarget = (op: Operation) => op.method === "DELETE" || /\/(send|cancel)$/.test(op.path);

/** The concrete path: `{id}` after `/<resource>` is the fixture of that resource. */
function fill(op: Operation, fx: Fixtures, override?: { name: string; value: string } | "nothing"): string {
  return op.path.replace(/(\/[a-z-]+)?\/\{(\w+)\}/g, (_m, seg: string | undefined, name: string) => {
    if (override !== "nothing" && override?.name === name) return `${seg ?? ""}/${override.value}`;
    const real = override !== "nothing";
    const resource = seg?.slice(1) ?? "";
    const value =
      name === "version"
        ? "1"
        : name === "email"
          ? encodeURIComponent(real ? (fx.suppressionEmail ?? "") : "nobody@example.com")
          : name === "provider"
            ? "generic"
            : (real && fx[resource]) || crypto.randomUUID();
    return `${seg ?? ""}/${value}`;
  });
}

/** Wrong-type, edge and hostile values for one property of schema `s`. */
function hostileValuesFor(s: JsonSchema, rng: Prng): Array<[string, unknown]> {
  const types = typesOf(s);
  const out: Array<[string, unknown]> = [];
  for (const t of TYPED_VALUES) {
    if (!types.includes(t.type)) out.push([`wrong type ${t.label}`, t.value]);
  }
  if (types.includes("string")) {
    for (const [k, v] of Object.entries(HOSTILE_STRINGS)) out.push([k, v]);
    const [name, huge] = rng.pick(Object.entries(hugeStrings(rng)));
    out.push([name, huge]);
  }
  if (types.includes("number")) {
    for (const [k, v] of Object.entries(HOSTILE_NUMBERS)) out.push([k, v]);
    if (s.minimum !== undefined) out.push(["below minimum", s.minimum - 1]);
    if (s.maximum !== undefined) out.push(["above maximum", s.maximum + 1]);
  }
  if (types.includes("array")) {
    out.push(["deep array", DEEP_ARRAY]);
    out.push(["10,000 items", new Raw(`[${Array(10_000).fill('"00000000-0000-7000-8000-000000000000"')}]`)]);
  }
  if (types.includes("object") || types.includes("array")) out.push(["deep object", DEEP_OBJECT]);
  if (types.includes("object")) {
    out.push(["10,000 keys", Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))]);
    out.push(["NUL key", { "a\u0000b": 1 }]);
  }
  return out;
}

/** Every property path of a body schema, two levels deep (and into array items). */
function propertyPaths(
  s: JsonSchema,
  prefix: string[] = [],
  depth = 0,
): Array<{ at: string[]; s: JsonSchema }> {
  const out: Array<{ at: string[]; s: JsonSchema }> = [];
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    out.push({ at: [...prefix, k], s: v });
    if (depth < 1 && v.properties) out.push(...propertyPaths(v, [...prefix, k], depth + 1));
    if (depth < 1 && v.items?.properties) out.push(...propertyPaths(v.items, [...prefix, k, "0"], depth + 1));
  }
  return out;
}

/** `base` with the value at `at` replaced (or removed when `value` is undefined). */
function setAt(base: unknown, at: string[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, any>;
  let node = copy;
  for (let i = 0; i < at.length - 1; i++) {
    const k = at[i] as string;
    if (node[k] === null || typeof node[k] !== "object") node[k] = /^\d+$/.test(at[i + 1] ?? "") ? [{}] : {};
    node = node[k];
  }
  const last = at[at.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** The variants of one operation; `budget` caps the sampled per-property ones. */
export function variantsOf(op: Operation, fx: Fixtures, rng: Prng, budget: number): Variant[] {
  const out: Variant[] = [];
  const analystMay = op.minRole === "analyst";
  const as = () => (analystMay && rng.next() < 0.25 ? "analyst" : "owner");
  const path = fill(op, fx);
  const baseBody = op.body ? sample(op.body, "body", fx) : undefined;
  const fullBody = op.body ? sample(op.body, "body", fx, true) : undefined;
  const push = (label: string, url: string, body?: string, contentType = "application/json") =>
    out.push({
      label,
      method: op.method,
      url,
      body,
      contentType: body === undefined ? undefined : contentType,
      as: as(),
    });
  const bodyText = (v: unknown) => (op.body ? toJsonText(v) : undefined);

  push("valid sample", noRealTarget(op) ? fill(op, fx, "nothing") : path, bodyText(baseBody));
  if (op.body) push("full sample", noRealTarget(op) ? fill(op, fx, "nothing") : path, bodyText(fullBody));

  for (const p of op.params.filter((x) => x.in === "path")) {
    for (const [label, value] of Object.entries(BAD_PATH_IDS)) {
      push(`path ${p.name}: ${label}`, fill(op, fx, { name: p.name, value }), bodyText(baseBody));
    }
  }
  const sampled: Variant[] = [];
  const queryTarget = noRealTarget(op) ? fill(op, fx, "nothing") : path;
  for (const p of op.params.filter((x) => x.in === "query")) {
    const values = { ...BAD_QUERY_VALUES, ...(p.name === "cursor" ? BAD_CURSORS : {}) };
    for (const [label, value] of Object.entries(values)) {
      sampled.push({
        label: `query ${p.name}: ${label}`,
        method: op.method,
        url: `${queryTarget}?${p.name}=${value}`,
        as: as(),
      });
    }
    sampled.push({
      label: `query ${p.name}: repeated`,
      method: op.method,
      url: `${queryTarget}?${p.name}=1&${p.name}=2`,
      as: as(),
    });
  }
  if (op.body) {
    const target = noRealTarget(op) ? queryTarget : path;
    const whole: Record<string, string> = {
      "body null": "null",
      "body array": "[]",
      "body string": '"x"',
      "body number": "1e309",
      "body empty object": "{}",
      "body truncated JSON": '{"a":',
      "body empty": "",
      "body deep array": DEEP_ARRAY.text,
      "body deep object": DEEP_OBJECT.text,
      "body over 1 MB": JSON.stringify({ x: "x".repeat(1_100_000) }),
    };
    for (const [label, text] of Object.entries(whole)) push(label, target, text);
    push("body as text/plain", target, bodyText(baseBody), "text/plain");
    const baseText = bodyText(baseBody) ?? "{}";
    for (const [label, extra] of Object.entries(EXTRA_FIELDS)) {
      push(`extra ${label}`, target, baseText === "{}" ? `{${extra}}` : `{${extra},${baseText.slice(1)}`);
    }
    for (const required of op.body.required ?? []) {
      push(`missing ${required}`, target, bodyText(setAt(baseBody, [required], undefined)));
    }
    for (const { at, s } of propertyPaths(op.body)) {
      for (const [label, value] of hostileValuesFor(s, rng)) {
        // A nested property needs valid siblings to get past its parent's own checks.
        const base = at.length > 1 || rng.next() < 0.5 ? fullBody : baseBody;
        sampled.push({
          label: `body ${at.join(".")}: ${label}`,
          method: op.method,
          url: target,
          body: bodyText(setAt(base, at, value)),
          contentType: "application/json",
          as: as(),
        });
      }
    }
  }
  return [...out, ...rng.sample(sampled, budget)];
}

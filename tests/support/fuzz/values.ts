/**
 * Hostile values for the schema-driven fuzz test (tests/api/fuzz.test.ts): a seeded PRNG, strings
 * that break naive code (huge, astral, RTL, NUL, lone surrogates), numbers at the edges of every
 * integer type, nesting deep enough to exhaust a recursive parser, and raw JSON literals that
 * `JSON.stringify` cannot write (`1e309`, `-0`).
 */

/** mulberry32: tiny, fast, and the same sequence for the same seed everywhere. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    /** `k` items of `items` in random order (all of them when k >= length). */
    sample<T>(items: readonly T[], k: number): T[] {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy.slice(0, k);
    },
  };
}
export type Prng = ReturnType<typeof prng>;

/** JSON text spliced into a body as is: numbers JSON.stringify cannot write, deep nesting. */
export class Raw {
  constructor(readonly text: string) {}
}

/** JSON.stringify that writes each `Raw` as its text. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (!(v instanceof Raw)) return v;
    raws.push(v.text);
    return `\u0000raw${raws.length - 1}\u0000`;
  });
  if (text === undefined) return "";
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)] ?? "null");
}

const DEPTH = 10_000;
/** Arrays and objects nested 10,000 deep: a recursive parser or validator overflows its stack. */
export const DEEP_ARRAY = new Raw(`${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`);
export const DEEP_OBJECT = new Raw(`${'{"a":'.repeat(DEPTH)}1${"}".repeat(DEPTH)}`);

/** Pieces of unicode that naive code mishandles, each named for the failure report. */
const UNICODE_PIECES = [
  "😀", // astral plane: two UTF-16 units, four UTF-8 bytes
  "𝕏",
  "\u200f", // right-to-left mark
  "\u202e", // right-to-left override
  "\u0000", // NUL: Postgres text cannot hold it
  "\ud800", // lone high surrogate: not valid UTF-8 once encoded
  "\udfff", // lone low surrogate
  "\ufeff", // byte-order mark
  "e\u0301", // combining accent
  "\u200b", // zero-width space
  "ß",
  "\r\n",
  "'",
  '"',
  "\\",
];

/** `length` UTF-16 units drawn from the hostile pieces. */
export function unicodeString(rng: Prng, length: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < length) {
    const piece = rng.pick(UNICODE_PIECES);
    parts.push(piece);
    n += piece.length;
  }
  return parts.join("");
}

/** Short strings each aimed at one weakness; the huge ones are made per request (see hugeStrings). */
export const HOSTILE_STRINGS: Record<string, string> = {
  empty: "",
  spaces: "   ",
  NUL: "a\u0000b",
  "only NUL": "\u0000",
  "lone surrogate": "x\ud800y",
  "RTL override": "\u202egnp.exe",
  astral: "😀𝕏😀",
  "SQL-ish": "' OR '1'='1'; drop table users; --",
  "Liquid-ish": "{{ 'x' | append: 'y' }}{% for i in (1..100000000) %}{% endfor %}",
  "HTML-ish": "<script>alert(1)</script>",
  "header injection": "a\r\nBcc: victim@example.com",
  "path-ish": "../../etc/passwd",
  "NaN as string": "NaN",
  "Infinity as string": "Infinity",
  "number as string": "12",
  "UUID of nothing": "00000000-0000-7000-8000-000000000000",
  "UUID-shaped non-hex": "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
  "date out of range": "-200000-01-01T00:00:00.000Z",
  "date far future": "+275760-09-13T00:00:00.001Z",
  "not a date": "2024-13-45T25:61:00Z",
  "email with NUL": "a\u0000b@example.com",
  "email unicode": "ü😀@exämple.com",
};

/** The huge strings: just under the 1 MB body limit (reaches validation), and 100k hostile units. */
export function hugeStrings(rng: Prng): Record<string, string> {
  return {
    "900 kB ASCII": "x".repeat(900_000),
    "100k-unit unicode": unicodeString(rng, 100_000),
  };
}

/** Numbers at the edges: of int4, int8, doubles, and ones JSON.stringify cannot write. */
export const HOSTILE_NUMBERS: Record<string, unknown> = {
  "2^31": 2 ** 31,
  "-2^31-1": -(2 ** 31) - 1,
  "2^53+1": new Raw("9007199254740993"),
  "2^63": new Raw("9223372036854775808"),
  "-2^63-1": new Raw("-9223372036854775809"),
  "1e309 (Infinity)": new Raw("1e309"),
  "-1e309": new Raw("-1e309"),
  "-0": new Raw("-0"),
  "1e-400": new Raw("1e-400"),
  "30 digits": new Raw("123456789012345678901234567890"),
  fraction: 1.5,
  negative: -1,
  zero: 0,
};

/** Values of each JSON type, for "wrong type" variants: the ones of the expected type are skipped. */
export const TYPED_VALUES: Array<{ type: string; label: string; value: unknown }> = [
  { type: "null", label: "null", value: null },
  { type: "boolean", label: "true", value: true },
  { type: "integer", label: "number", value: 7 },
  { type: "string", label: "string", value: "a string" },
  { type: "array", label: "array", value: ["a", 1, null] },
  { type: "object", label: "object", value: { a: { b: [1] } } },
];

/** Keys that reach prototypes or look like internals, as extra fields. */
export const EXTRA_FIELDS: Record<string, string> = {
  "unknown field": '"zzUnknownField":"x"',
  __proto__: '"__proto__":{"role":"owner","isAdmin":true}',
  constructor: '"constructor":{"prototype":{"polluted":true}}',
  "id and timestamps": '"id":"00000000-0000-7000-8000-000000000000","createdAt":"1970-01-01T00:00:00Z"',
  "duplicate key": '"zzDup":1,"zzDup":{"a":1}',
};

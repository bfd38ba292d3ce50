/**
 * Character references: the numeric forms and the named ones that occur in email HTML. Named
 * references outside this table are left as written (HTML has over 2,000; mail uses a few dozen).
 */
const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  shy: "\u00ad",
  zwnj: "\u200c",
  zwj: "\u200d",
  ensp: "\u2002",
  emsp: "\u2003",
  thinsp: "\u2009",
  ndash: "\u2013",
  mdash: "\u2014",
  lsquo: "\u2018",
  rsquo: "\u2019",
  sbquo: "\u201a",
  ldquo: "\u201c",
  rdquo: "\u201d",
  bdquo: "\u201e",
  laquo: "\u00ab",
  raquo: "\u00bb",
  lsaquo: "\u2039",
  rsaquo: "\u203a",
  hellip: "\u2026",
  bull: "\u2022",
  middot: "\u00b7",
  copy: "\u00a9",
  reg: "\u00ae",
  trade: "\u2122",
  euro: "\u20ac",
  pound: "\u00a3",
  yen: "\u00a5",
  cent: "\u00a2",
  sect: "\u00a7",
  para: "\u00b6",
  deg: "\u00b0",
  plusmn: "\u00b1",
  times: "\u00d7",
  divide: "\u00f7",
  frac12: "\u00bd",
  frac14: "\u00bc",
  frac34: "\u00be",
  larr: "\u2190",
  rarr: "\u2192",
  uarr: "\u2191",
  darr: "\u2193",
  check: "\u2713",
  iexcl: "\u00a1",
  iquest: "\u00bf",
};

const REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}))(;?)/g;
/** The references HTML still decodes without their ";" (a few of its legacy set). */
const LEGACY = new Set(["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]);

/**
 * Decodes character references; invalid code points become U+FFFD, unknown names stay as
 * written. In an attribute (`attribute` true) a legacy name without ";" followed by "=" stays as
 * written, as browsers do, so `?a=1&copy=2` in an href is not turned into "©=2".
 */
export function decodeEntities(text: string, attribute = false): string {
  if (!text.includes("&")) return text;
  return text.replace(
    REFERENCE,
    (
      whole,
      dec: string | undefined,
      hex: string | undefined,
      name: string | undefined,
      semi: string,
      at: number,
    ) => {
      if (name !== undefined) {
        const value = NAMED[name];
        if (value === undefined) return whole;
        if (semi) return value;
        if (!LEGACY.has(name) || (attribute && text.charCodeAt(at + whole.length) === 61)) return whole;
        return value;
      }
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? "", 16);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
      return String.fromCodePoint(code);
    },
  );
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const UNSAFE = /[&<>"']/;

/** Escapes text for HTML content and quoted attribute values (returns the input when nothing needs it). */
export function escapeHtml(text: string): string {
  return UNSAFE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : text;
}

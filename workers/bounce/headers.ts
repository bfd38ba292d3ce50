// Header blocks and e-mail addresses as bounce notices carry them: unfolded, lower-cased names,
// addresses pulled out of display names, angle brackets and "rfc822;" prefixes.

export type HeaderMap = Map<string, string[]>;

/** Lines of at most this many characters are read as header lines. */
const MAX_HEADER_BYTES = 64 * 1024;

/** Parses the header block at the start of `text` (up to the first blank line). */
export function parseHeaderBlock(text: string): HeaderMap {
  const map: HeaderMap = new Map();
  const lines = text.slice(0, MAX_HEADER_BYTES).split("\n");
  let name = "";
  let value = "";
  const flush = () => {
    if (!name) return;
    const list = map.get(name) ?? [];
    list.push(value.trim());
    map.set(name, list);
  };
  for (const raw of lines) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") {
      if (name || map.size > 0) break;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (name) value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    // A line that is not a field ends the block: the text that follows is a body.
    if (colon < 1 || !/^[!-9;-~]+$/.test(line.slice(0, colon))) {
      if (map.size > 0) break;
      continue;
    }
    flush();
    name = line.slice(0, colon).toLowerCase();
    value = line.slice(colon + 1);
  }
  flush();
  return map;
}

/** The first value of a header, "" when absent. */
export function first(map: HeaderMap, name: string): string {
  return map.get(name)?.[0] ?? "";
}

const LOCAL_CHAR = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;
// RFC 5321 allows a quoted local part ("john..doe"@example.org); some bounces name one.
const QUOTED_LOCAL = /^"[^"\\\r\n]{1,62}"$/;
const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** True for a plausible mailbox address (local@domain.tld). */
export function isAddress(text: string): boolean {
  const at = text.lastIndexOf("@");
  if (at < 1 || text.length > 254 || at > 64) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (!QUOTED_LOCAL.test(local)) {
    if ([...local].some((c) => !LOCAL_CHAR.test(c))) return false;
    if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return false;
  }
  return DOMAIN.test(domain) && /[A-Za-z]/.test(domain.slice(domain.lastIndexOf(".") + 1));
}

// Addresses are found by expanding around each "@" with bounded scans rather than by one regular
// expression, so a long run of address-like characters cannot make the search quadratic.
function addressesIn(text: string, limit: number): string[] {
  const out: string[] = [];
  for (let at = text.indexOf("@"); at >= 0 && out.length < limit; at = text.indexOf("@", at + 1)) {
    let start = at;
    const open = text[at - 1] === '"' ? text.lastIndexOf('"', at - 2) : -1;
    if (open >= 0 && at - open <= 64) start = open;
    else while (start > 0 && at - start < 64 && LOCAL_CHAR.test(text[start - 1] ?? "")) start--;
    let end = at + 1;
    while (end < text.length && end - at < 255 && DOMAIN_CHAR.test(text[end] ?? "")) end++;
    const candidate = text
      .slice(start, end)
      .replace(/^[.'`{|}~=?^#!$%&*+/-]+/, "")
      .replace(/[.-]+$/, "")
      .toLowerCase();
    if (isAddress(candidate)) out.push(candidate);
  }
  return out;
}

/** The first address in a field value such as `"Neko" <neko@example.jp>` or `rfc822; neko@example.jp`. */
export function extractAddress(text: string): string {
  const value = text.slice(0, 2048);
  const bracketed = /<([^<>\s]{1,320})>/g;
  for (const m of value.matchAll(bracketed)) {
    let inner = (m[1] ?? "").replace(/^(?:rfc822|smtp|mailto):/i, "");
    if (/^".*"$/.test(inner) && !inner.includes('"@')) inner = inner.slice(1, -1);
    if (isAddress(inner)) return inner.toLowerCase();
  }
  return addressesIn(value.replace(/^\s*rfc822\s*;/i, " "), 1)[0] ?? "";
}

/** Message-ID without angle brackets, "" when the value holds none. */
export function messageIdOf(value: string): string {
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(value) ?? /([^<>\s]+@[^<>\s]+)/.exec(value);
  return m?.[1] ?? "";
}

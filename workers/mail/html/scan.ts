/**
 * A small forward-only HTML tag scanner shared by tracking injection and the HTML-to-text
 * converter. It never backtracks: every function returns an index past what it consumed, so a
 * full pass over a document is linear. With `liquid` set, `{{ … }}` and `{% … %}` are opaque
 * (a Liquid string may hold quotes or ">" inside an attribute value).
 */

/** One attribute: its name (lower case), raw value (entities not decoded) and source spans. */
export interface HtmlAttribute {
  name: string;
  value: string;
  /** Start of the attribute name and end of the whole attribute (past a closing quote). */
  start: number;
  end: number;
}

/** A start or end tag: `name` in lower case, `end` just past its ">". */
export interface HtmlTag {
  name: string;
  closing: boolean;
  start: number;
  /** Where the attributes begin (just after the name). */
  attrStart: number;
  end: number;
}

const isNameChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 58 || c === 95;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;

/** The index just past a Liquid `{{ … }}` or `{% … %}` starting at `i`, or -1 if none starts there. */
export function liquidEnd(html: string, i: number): number {
  if (html.charCodeAt(i) !== 123) return -1;
  const next = html.charCodeAt(i + 1);
  if (next !== 123 && next !== 37) return -1;
  const close = html.indexOf(next === 123 ? "}}" : "%}", i + 2);
  return close < 0 ? html.length : close + 2;
}

/** Reads the tag at `lt` (where `html[lt]` is "<"); null when "<" does not start a tag there. */
export function readTag(html: string, lt: number, liquid: boolean): HtmlTag | null {
  let i = lt + 1;
  const closing = html.charCodeAt(i) === 47;
  if (closing) i++;
  const first = html.charCodeAt(i);
  if (!((first >= 97 && first <= 122) || (first >= 65 && first <= 90))) return null;
  const nameStart = i;
  while (i < html.length && isNameChar(html.charCodeAt(i))) i++;
  const name = html.slice(nameStart, i).toLowerCase();
  return { name, closing, start: lt, attrStart: i, end: tagEnd(html, i, liquid) };
}

/** The index just past the ">" that ends a tag whose attributes start at `from` (quotes respected). */
export function tagEnd(html: string, from: number, liquid: boolean): number {
  let quote = 0;
  for (let i = from; i < html.length; i++) {
    const c = html.charCodeAt(i);
    if (liquid && c === 123) {
      const end = liquidEnd(html, i);
      if (end > 0) {
        i = end - 1;
        continue;
      }
    }
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      // A quote opens a value only after "="; a stray one elsewhere is part of a name.
      let j = i - 1;
      while (j > from && isSpace(html.charCodeAt(j))) j--;
      if (html.charCodeAt(j) === 61) quote = c;
    } else if (c === 62) {
      return i + 1;
    }
  }
  return html.length;
}

/** The attributes of a tag, in source order. */
export function readAttributes(html: string, tag: HtmlTag, liquid: boolean): HtmlAttribute[] {
  const attrs: HtmlAttribute[] = [];
  const stop = html.charCodeAt(tag.end - 1) === 62 ? tag.end - 1 : tag.end;
  let i = tag.attrStart;
  while (i < stop) {
    let c = html.charCodeAt(i);
    if (isSpace(c) || c === 47) {
      i++;
      continue;
    }
    const skipped = liquid ? liquidEnd(html, i) : -1;
    if (skipped > 0) {
      i = skipped;
      continue;
    }
    const start = i;
    while (i < stop) {
      c = html.charCodeAt(i);
      if (isSpace(c) || c === 61 || c === 47) break;
      i++;
    }
    const name = html.slice(start, i).toLowerCase();
    let j = i;
    while (j < stop && isSpace(html.charCodeAt(j))) j++;
    if (html.charCodeAt(j) !== 61) {
      attrs.push({ name, value: "", start, end: i });
      continue;
    }
    j++;
    while (j < stop && isSpace(html.charCodeAt(j))) j++;
    const q = html.charCodeAt(j);
    let valueStart = j;
    let valueEnd: number;
    if (q === 34 || q === 39) {
      valueStart = j + 1;
      valueEnd = closingQuote(html, valueStart, stop, q, liquid);
      i = Math.min(valueEnd + 1, stop);
    } else {
      while (j < stop && !isSpace(html.charCodeAt(j))) j++;
      valueEnd = j;
      i = j;
    }
    attrs.push({ name, value: html.slice(valueStart, valueEnd), start, end: i });
  }
  return attrs;
}

function closingQuote(html: string, from: number, stop: number, quote: number, liquid: boolean): number {
  for (let i = from; i < stop; i++) {
    if (liquid && html.charCodeAt(i) === 123) {
      const end = liquidEnd(html, i);
      if (end > 0) {
        i = end - 1;
        continue;
      }
    }
    if (html.charCodeAt(i) === quote) return i;
  }
  return stop;
}

/**
 * The index past a comment or declaration starting at `lt` ("<!" or "<?"). A conditional comment
 * opener (`<!--[if mso]>`) ends at its "]>": what follows is markup that Outlook renders.
 */
export function skipMarkupDeclaration(html: string, lt: number): number {
  if (html.startsWith("<!--", lt)) {
    if (html.startsWith("<!-->", lt)) return lt + 5;
    if (html.startsWith("<!--->", lt)) return lt + 6;
    if (html.startsWith("<!--[if", lt)) {
      const end = html.indexOf("]>", lt);
      return end < 0 ? html.length : end + 2;
    }
    const end = html.indexOf("-->", lt + 4);
    return end < 0 ? html.length : end + 3;
  }
  const end = html.indexOf(">", lt);
  return end < 0 ? html.length : end + 1;
}

/** The index of the "</name" that closes a raw-text element (script, style), or the end. */
export function rawTextEnd(html: string, from: number, name: string): number {
  const needle = `</${name}`;
  let i = from;
  while (true) {
    const at = html.indexOf("</", i);
    if (at < 0) return html.length;
    if (html.slice(at, at + needle.length).toLowerCase() === needle) return at;
    i = at + 2;
  }
}

/** A small CSS reader for inlining: style rules with their declarations, other text kept verbatim. */

/** One `property: value` pair; `important` when it ends in !important. */
export interface Declaration {
  property: string;
  value: string;
  important: boolean;
}

/** A style rule, or a chunk (an at-rule, a comment-free leftover) written back as it was. */
export type CssItem =
  | { kind: "rule"; selectors: string[]; declarations: Declaration[] }
  | { kind: "raw"; text: string };

/** The index past the block that opens at `open` (a "{"), counting nested braces, quotes respected. */
function blockEnd(css: string, open: number): number {
  let depth = 0;
  let quote = "";
  for (let i = open; i < css.length; i++) {
    const c = css.charAt(i);
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return css.length;
}

/** Splits on `separator` outside quotes and parentheses (a data: URL holds ";", a selector ","). */
export function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** The declarations of a rule body or a style attribute. */
export function parseDeclarations(body: string): Declaration[] {
  const out: Declaration[] = [];
  for (const part of splitTop(body, ";")) {
    const colon = part.indexOf(":");
    if (colon <= 0) continue;
    let value = part.slice(colon + 1).trim();
    const important = /!\s*important$/i.test(value);
    if (important) value = value.replace(/\s*!\s*important$/i, "");
    out.push({ property: part.slice(0, colon).trim().toLowerCase(), value, important });
  }
  return out;
}

/** Reads a style sheet into rules and verbatim chunks (at-rules such as @media stay whole). */
export function parseCss(input: string): CssItem[] {
  const css = input.replace(/\/\*[\s\S]*?\*\//g, "");
  const items: CssItem[] = [];
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf("{", i);
    const prelude = (open < 0 ? css.slice(i) : css.slice(i, open)).trim();
    if (open < 0) {
      if (prelude) items.push({ kind: "raw", text: prelude });
      break;
    }
    if (prelude.startsWith("@")) {
      // A statement at-rule (@import, @charset) ends at ";" before any block.
      const semi = css.indexOf(";", i);
      if (
        semi >= 0 &&
        semi < open &&
        !/^@(media|supports|font-face|keyframes|page|document)/i.test(prelude)
      ) {
        items.push({ kind: "raw", text: css.slice(i, semi + 1).trim() });
        i = semi + 1;
        continue;
      }
      const end = blockEnd(css, open);
      items.push({ kind: "raw", text: css.slice(i, end).trim() });
      i = end;
      continue;
    }
    const end = blockEnd(css, open);
    items.push({
      kind: "rule",
      selectors: splitTop(prelude, ","),
      declarations: parseDeclarations(css.slice(open + 1, end - 1)),
    });
    i = end;
  }
  return items;
}

/** Writes declarations back as CSS text. */
export function formatDeclarations(declarations: Declaration[]): string {
  return declarations.map((d) => `${d.property}: ${d.value}${d.important ? " !important" : ""}`).join("; ");
}

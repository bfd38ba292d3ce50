import { type CssItem, type Declaration, formatDeclarations, parseCss, parseDeclarations } from "./css-rules";
import { decodeEntities, escapeHtml } from "./entities";
import {
  type HtmlAttribute,
  type HtmlTag,
  rawTextEnd,
  readAttributes,
  readTag,
  skipMarkupDeclaration,
} from "./scan";

/**
 * CSS inlining at save time, for clients that ignore <style> (older Outlook, some webmail).
 * juice, the usual tool, needs cheerio, postcss and a resource loader: far too heavy for a
 * Worker, so this covers what email CSS mostly is. Rules whose selectors are simple (`p`,
 * `.btn`, `#hero`, `td.cell.wide`, comma lists of those) are written into each matching
 * element's style attribute, by specificity and then source order; the element's own
 * declarations win unless the rule says !important. Everything else (@media, :hover,
 * combinators, attribute selectors) stays in a <style> block for the clients that read it.
 * A <style> holding Liquid is left alone.
 */

interface Rule {
  tag: string | null;
  id: string | null;
  classes: string[];
  specificity: number;
  order: number;
  declarations: Declaration[];
}

const SIMPLE = /^([a-zA-Z][\w-]*)?((?:[.#][\w-]+)*)$/;

function toRule(selector: string, declarations: Declaration[], order: number): Rule | null {
  const m = SIMPLE.exec(selector);
  if (!m || (!m[1] && !m[2])) return null;
  const parts = m[2]?.match(/[.#][\w-]+/g) ?? [];
  const ids = parts.filter((p) => p.startsWith("#")).map((p) => p.slice(1));
  if (ids.length > 1) return null;
  const classes = parts.filter((p) => p.startsWith(".")).map((p) => p.slice(1));
  const tag = m[1]?.toLowerCase() ?? null;
  const specificity = ids.length * 100 + classes.length * 10 + (tag ? 1 : 0);
  return { tag, id: ids[0] ?? null, classes, specificity, order, declarations };
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Inlines the simple rules of the document's <style> blocks into style attributes. */
export function inlineCss(html: string): string {
  const rules: Rule[] = [];
  const edits: Edit[] = [];
  const elements: HtmlTag[] = [];
  let inBody = !/<body[\s>]/i.test(html);
  let i = 0;
  while (true) {
    const lt = html.indexOf("<", i);
    if (lt < 0) break;
    const next = html.charCodeAt(lt + 1);
    if (next === 33 || next === 63) {
      i = skipMarkupDeclaration(html, lt);
      continue;
    }
    const tag = readTag(html, lt, true);
    i = tag ? tag.end : lt + 1;
    if (!tag || tag.closing) continue;
    if (tag.name === "body") inBody = true;
    if (tag.name === "script") i = rawTextEnd(html, tag.end, "script");
    if (tag.name !== "style") {
      if (inBody) elements.push(tag);
      continue;
    }
    const close = rawTextEnd(html, tag.end, "style");
    const end = html.indexOf(">", close) + 1 || html.length;
    i = end;
    const css = html.slice(tag.end, close);
    if (/\{\{|\{%/.test(css) || readAttributes(html, tag, true).some((a) => a.name === "media")) continue;
    const kept = collect(parseCss(css), rules);
    edits.push({
      start: tag.start,
      end,
      text: kept ? `${html.slice(tag.start, tag.end)}\n${kept}\n</style>` : "",
    });
  }
  if (rules.length === 0) return html;
  for (const tag of elements) {
    const attrs = readAttributes(html, tag, true);
    const style = styleFor(tag, attrs, rules);
    if (style === null) continue;
    const value = `style="${escapeHtml(style)}"`;
    const existing = attrs.find((a) => a.name === "style");
    const text = existing
      ? html.slice(tag.start, existing.start) + value + html.slice(existing.end, tag.end)
      : `${html.slice(tag.start, tag.attrStart)} ${value}${html.slice(tag.attrStart, tag.end)}`;
    edits.push({ start: tag.start, end: tag.end, text });
  }
  edits.sort((a, b) => a.start - b.start);
  let out = "";
  let copied = 0;
  for (const edit of edits) {
    out += html.slice(copied, edit.start) + edit.text;
    copied = edit.end;
  }
  return out + html.slice(copied);
}

/** Adds the inlinable rules to `rules`; returns the CSS text that must stay in a <style>. */
function collect(items: CssItem[], rules: Rule[]): string {
  const kept: string[] = [];
  for (const item of items) {
    if (item.kind === "raw") {
      kept.push(item.text);
      continue;
    }
    const rest: string[] = [];
    for (const selector of item.selectors) {
      const rule = toRule(selector, item.declarations, rules.length);
      if (rule) rules.push(rule);
      else rest.push(selector);
    }
    if (rest.length > 0) kept.push(`${rest.join(", ")} { ${formatDeclarations(item.declarations)} }`);
  }
  return kept.join("\n");
}

/** The merged style attribute for one element, or null when no rule matches it. */
function styleFor(tag: HtmlTag, attrs: HtmlAttribute[], rules: Rule[]): string | null {
  const attr = (n: string) => attrs.find((a) => a.name === n)?.value;
  const id = attr("id");
  const classes = new Set(
    decodeEntities(attr("class") ?? "")
      .split(/\s+/)
      .filter(Boolean),
  );
  const matching = rules.filter(
    (r) => (!r.tag || r.tag === tag.name) && (!r.id || r.id === id) && r.classes.every((c) => classes.has(c)),
  );
  if (matching.length === 0) return null;
  matching.sort((a, b) => a.specificity - b.specificity || a.order - b.order);
  const merged = new Map<string, Declaration>();
  const put = (d: Declaration) => {
    const prior = merged.get(d.property);
    if (prior?.important && !d.important) return;
    merged.delete(d.property);
    merged.set(d.property, d);
  };
  for (const rule of matching) for (const d of rule.declarations) put(d);
  const inline = attr("style");
  if (inline !== undefined) for (const d of parseDeclarations(decodeEntities(inline))) put(d);
  return formatDeclarations([...merged.values()]);
}

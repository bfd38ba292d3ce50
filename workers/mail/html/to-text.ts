import { decodeEntities } from "./entities";
import { type HtmlTag, liquidEnd, rawTextEnd, readAttributes, readTag, skipMarkupDeclaration } from "./scan";
import { TextWriter } from "./text-writer";

/** Options of `htmlToText`. */
export interface HtmlToTextOptions {
  /** Keep Liquid `{{ … }}`/`{% … %}` intact, as when deriving a text template from an HTML one. */
  liquid?: boolean;
  /** Wrap width in characters (76 unless given); long words and URLs are never broken. */
  width?: number;
}

const PARAGRAPH = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl"]);
const LINE = new Set(
  "div tr table tbody thead tfoot caption li section article header footer nav main aside center address figure figcaption dt dd form fieldset details summary".split(
    " ",
  ),
);
/** Elements whose content is never text. */
const DROPPED = new Set(["head", "script", "style", "title", "noscript", "template", "svg", "object"]);
const VOID = new Set(["br", "img", "hr", "meta", "link", "input", "wbr", "col", "source", "area", "base"]);

interface List {
  ordered: boolean;
  count: number;
}

/**
 * Readable plain text from HTML: blocks become line breaks, lists "- " or "1. ", links
 * "text (url)", images their alt text; scripts, styles, head, comments, Outlook-only conditional
 * blocks and `display:none` elements (preheaders) are dropped; entities decoded; lines wrapped.
 */
export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  const liquid = options.liquid ?? false;
  const w = new TextWriter(options.width ?? 76);
  const lists: List[] = [];
  const links: string[] = [];
  let quotes = 0;
  let preDepth = 0;

  const setPrefix = (marker: string | null) => {
    const base = "> ".repeat(quotes) + "   ".repeat(Math.max(lists.length - 1, 0));
    w.setPrefix(
      marker === null ? base : base + " ".repeat(marker.length),
      marker === null ? null : base + marker,
    );
  };
  const text = (chunk: string) => {
    if (!chunk) return;
    let decoded = decodeEntities(chunk);
    // A "{{" spelled with entities is text, not Liquid: keep it from being parsed as Liquid.
    if (liquid) decoded = decoded.replace(/\{(?=[{%])/g, "{{ '{' }}");
    if (preDepth > 0) w.pre(decoded);
    else w.text(decoded);
  };

  const onTag = (tag: HtmlTag): number => {
    const name = tag.name;
    if (tag.closing) {
      closeTag(name);
      return tag.end;
    }
    if (DROPPED.has(name)) return rawTextEnd(html, tag.end, name);
    const attrs = readAttributes(html, tag, liquid);
    const attr = (n: string) => attrs.find((a) => a.name === n)?.value;
    const style = attr("style");
    const hidden =
      attr("hidden") !== undefined ||
      (style !== undefined && /display\s*:\s*none/i.test(decodeEntities(style)));
    if (hidden && !VOID.has(name)) return skipElement(html, tag, liquid);
    if (hidden) return tag.end;
    blockBreak(name, false);
    switch (name) {
      case "br":
        w.br();
        break;
      case "hr":
        w.block(2);
        w.text("---");
        w.block(2);
        break;
      case "td":
      case "th":
        w.space();
        break;
      case "img": {
        const alt = attr("alt");
        if (alt) w.text(decodeEntities(alt));
        break;
      }
      case "a":
        links.push(decodeEntities(attr("href") ?? "", true).trim());
        w.startCapture();
        break;
      case "ul":
      case "ol":
        lists.push({ ordered: name === "ol", count: 0 });
        setPrefix(null);
        break;
      case "li": {
        const list = lists.at(-1);
        if (list) setPrefix(list.ordered ? `${++list.count}. ` : "- ");
        else setPrefix("- ");
        break;
      }
      case "blockquote":
        quotes++;
        setPrefix(null);
        break;
      case "pre":
        preDepth++;
        break;
    }
    return tag.end;
  };

  /** Paragraph or line break for a block element; a list inside a list item is just a line. */
  const blockBreak = (name: string, closing: boolean) => {
    const nestedList = (name === "ul" || name === "ol") && lists.length > (closing ? 1 : 0);
    if (PARAGRAPH.has(name) && !nestedList) w.block(2);
    else if (LINE.has(name) || nestedList) w.block(1);
  };

  const closeTag = (name: string) => {
    blockBreak(name, true);
    if (name === "td" || name === "th") w.space();
    else if (name === "a" && links.length > 0) endLink(w, links.pop() ?? "");
    else if (name === "ul" || name === "ol") {
      lists.pop();
      setPrefix(null);
    } else if (name === "blockquote" && quotes > 0) {
      quotes--;
      setPrefix(null);
    } else if (name === "pre" && preDepth > 0) preDepth--;
  };

  let i = 0;
  let textStart = 0;
  // The next "<" and "{" at or after i, each found again only once passed: one pass in all.
  let lt = -1;
  let brace = liquid ? -1 : html.length;
  while (i < html.length) {
    if (lt < i) lt = indexOr(html, "<", i);
    if (brace < i) brace = indexOr(html, "{", i);
    const at = Math.min(lt, brace);
    if (at >= html.length) break;
    if (at === brace) {
      const end = liquidEnd(html, at);
      if (end < 0) {
        i = at + 1;
        continue;
      }
      text(html.slice(textStart, at));
      const piece = html.slice(at, end);
      if (piece.startsWith("{{")) w.atom(piece);
      else w.zeroWidth(piece);
      i = textStart = end;
      continue;
    }
    const next = html.charCodeAt(at + 1);
    const tag = next === 33 || next === 63 ? null : readTag(html, at, liquid);
    if (!tag && next !== 33 && next !== 63) {
      i = at + 1;
      continue;
    }
    text(html.slice(textStart, at));
    i = textStart = tag ? onTag(tag) : skipComment(html, at);
  }
  text(html.slice(textStart));
  return w.finish();
}

const indexOr = (s: string, needle: string, from: number) => {
  const at = s.indexOf(needle, from);
  return at < 0 ? s.length : at;
};

/** Writes a link's URL after its text unless they say the same thing. */
function endLink(w: TextWriter, href: string): void {
  const shown = w.endCapture();
  if (!href || href.startsWith("#") || /^javascript:/i.test(href)) return;
  const bare = (s: string) =>
    s
      .replace(/^(https?:\/\/|mailto:|tel:)/i, "")
      .replace(/\/$/, "")
      .toLowerCase();
  if (shown && bare(shown) === bare(href)) return;
  if (shown) w.space();
  w.atom(shown ? `(${href})` : href);
  w.space();
}

/** Past a comment; an Outlook-only conditional block is dropped whole, a downlevel-revealed one is entered. */
function skipComment(html: string, lt: number): number {
  if (!html.startsWith("<!--[if", lt)) return skipMarkupDeclaration(html, lt);
  const opener = skipMarkupDeclaration(html, lt);
  if (html.startsWith("<!-->", opener)) return opener + 5;
  const endif = html.indexOf("<![endif]", opener);
  if (endif < 0) return html.length;
  return skipMarkupDeclaration(html, endif);
}

/** Past the end tag matching `open`, counting nested elements of the same name. */
function skipElement(html: string, open: HtmlTag, liquid: boolean): number {
  let depth = 1;
  let i = open.end;
  while (depth > 0) {
    const lt = html.indexOf("<", i);
    if (lt < 0) return html.length;
    const tag = readTag(html, lt, liquid);
    if (!tag) {
      i = lt + 1;
      continue;
    }
    if (tag.name === open.name) depth += tag.closing ? -1 : 1;
    i = tag.end;
  }
  return i;
}

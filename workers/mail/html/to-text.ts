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
  return new TextConversion(html, options.liquid ?? false, options.width ?? 76).run();
}

/** One conversion: the writer and what is open at the current point (lists, links, quotes, pre). */
class TextConversion {
  private readonly w: TextWriter;
  private readonly lists: List[] = [];
  private readonly links: string[] = [];
  private quotes = 0;
  private preDepth = 0;

  constructor(
    private readonly html: string,
    private readonly liquid: boolean,
    width: number,
  ) {
    this.w = new TextWriter(width);
  }

  /** One pass: the text between markup, then each tag, comment or (with `liquid`) Liquid piece. */
  run(): string {
    const html = this.html;
    let i = 0;
    let textStart = 0;
    // The next "<" and "{" at or after i, each found again only once passed: one pass in all.
    let lt = -1;
    let brace = this.liquid ? -1 : html.length;
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
        this.text(html.slice(textStart, at));
        this.liquidPiece(html.slice(at, end));
        i = textStart = end;
        continue;
      }
      const next = html.charCodeAt(at + 1);
      const tag = next === 33 || next === 63 ? null : readTag(html, at, this.liquid);
      if (!tag && next !== 33 && next !== 63) {
        i = at + 1;
        continue;
      }
      this.text(html.slice(textStart, at));
      i = textStart = tag ? this.onTag(tag) : skipComment(html, at);
    }
    this.text(html.slice(textStart));
    return this.w.finish();
  }

  /** Text between markup, entities decoded. */
  private text(chunk: string) {
    if (!chunk) return;
    let decoded = decodeEntities(chunk);
    // A "{{" spelled with entities is text, not Liquid: keep it from being parsed as Liquid.
    if (this.liquid) decoded = decoded.replace(/\{(?=[{%])/g, "{{ '{' }}");
    if (this.preDepth > 0) this.w.pre(decoded);
    else this.w.text(decoded);
  }

  /** An output tag is kept as one unbreakable word; a logic tag takes no width. */
  private liquidPiece(piece: string) {
    if (piece.startsWith("{{")) this.w.atom(piece);
    else this.w.zeroWidth(piece);
  }

  /** Handles a tag and returns where the text after it starts (past a dropped or hidden element). */
  private onTag(tag: HtmlTag): number {
    const name = tag.name;
    if (tag.closing) {
      this.closeTag(name);
      return tag.end;
    }
    if (DROPPED.has(name)) return rawTextEnd(this.html, tag.end, name);
    const attrs = readAttributes(this.html, tag, this.liquid);
    const attr = (n: string) => attrs.find((a) => a.name === n)?.value;
    const style = attr("style");
    const hidden =
      attr("hidden") !== undefined ||
      (style !== undefined && /display\s*:\s*none/i.test(decodeEntities(style)));
    if (hidden && !VOID.has(name)) return skipElement(this.html, tag, this.liquid);
    if (hidden) return tag.end;
    this.blockBreak(name, false);
    this.openTag(name, attr);
    return tag.end;
  }

  /** What a visible start tag writes or opens. */
  private openTag(name: string, attr: (name: string) => string | undefined) {
    const w = this.w;
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
        this.links.push(decodeEntities(attr("href") ?? "", true).trim());
        w.startCapture();
        break;
      case "ul":
      case "ol":
        this.lists.push({ ordered: name === "ol", count: 0 });
        this.setPrefix(null);
        break;
      case "li": {
        const list = this.lists.at(-1);
        if (list) this.setPrefix(list.ordered ? `${++list.count}. ` : "- ");
        else this.setPrefix("- ");
        break;
      }
      case "blockquote":
        this.quotes++;
        this.setPrefix(null);
        break;
      case "pre":
        this.preDepth++;
        break;
    }
  }

  private closeTag(name: string) {
    this.blockBreak(name, true);
    if (name === "td" || name === "th") this.w.space();
    else if (name === "a" && this.links.length > 0) endLink(this.w, this.links.pop() ?? "");
    else if (name === "ul" || name === "ol") {
      this.lists.pop();
      this.setPrefix(null);
    } else if (name === "blockquote" && this.quotes > 0) {
      this.quotes--;
      this.setPrefix(null);
    } else if (name === "pre" && this.preDepth > 0) this.preDepth--;
  }

  /** Paragraph or line break for a block element; a list inside a list item is just a line. */
  private blockBreak(name: string, closing: boolean) {
    const nestedList = (name === "ul" || name === "ol") && this.lists.length > (closing ? 1 : 0);
    if (PARAGRAPH.has(name) && !nestedList) this.w.block(2);
    else if (LINE.has(name) || nestedList) this.w.block(1);
  }

  /** Line prefix for the open quotes and lists; `marker` ("- ", "3. ") only on the item's first line. */
  private setPrefix(marker: string | null) {
    const base = "> ".repeat(this.quotes) + "   ".repeat(Math.max(this.lists.length - 1, 0));
    this.w.setPrefix(
      marker === null ? base : base + " ".repeat(marker.length),
      marker === null ? null : base + marker,
    );
  }
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

import { decodeEntities, escapeHtml } from "./entities";
import { type HtmlAttribute, rawTextEnd, readAttributes, readTag, skipMarkupDeclaration } from "./scan";

/** How `injectTracking` rewrites a rendered message. */
export interface TrackingOptions {
  /** The open-tracking pixel's URL; null sends no pixel. */
  pixelUrl: string | null;
  /** The tracked URL for a link (index: its position among the distinct tracked URLs); null keeps it. */
  linkUrl: (url: string, index: number) => string | null;
  /** URLs never rewritten (unsubscribe, preferences), compared exactly after entity decoding. */
  exclude?: string[];
}

interface LinkVisit {
  href: HtmlAttribute;
  /** The decoded URL when the link is tracked, else null. */
  url: string | null;
  /** Attributes that mark the link untracked; removed from the output. */
  markers: HtmlAttribute[];
}

const RAW_TEXT = new Set(["script", "style", "textarea", "title"]);

/**
 * Visits every <a>/<area> with an href, in document order, and reports where `</body>` starts
 * (-1 when there is none). One pass, no regular expressions over the document.
 */
function scanLinks(html: string, exclude: ReadonlySet<string>, visit: (link: LinkVisit) => void): number {
  let bodyClose = -1;
  let i = 0;
  while (true) {
    const lt = html.indexOf("<", i);
    if (lt < 0) return bodyClose;
    const next = html.charCodeAt(lt + 1);
    if (next === 33 || next === 63) {
      i = skipMarkupDeclaration(html, lt);
      continue;
    }
    const tag = readTag(html, lt, false);
    if (!tag) {
      i = lt + 1;
      continue;
    }
    i = tag.end;
    if (tag.closing) {
      if (tag.name === "body") bodyClose = lt;
      continue;
    }
    if (RAW_TEXT.has(tag.name)) {
      i = rawTextEnd(html, i, tag.name);
      continue;
    }
    if (tag.name !== "a" && tag.name !== "area") continue;
    const attrs = readAttributes(html, tag, false);
    const href = attrs.find((a) => a.name === "href");
    if (!href) continue;
    const markers = attrs.filter(
      (a) =>
        a.name === "data-untracked" ||
        (a.name === "data-edgepost-track" && decodeEntities(a.value, true).trim().toLowerCase() === "false"),
    );
    const url = decodeEntities(href.value, true).trim();
    const tracked = markers.length === 0 && /^https?:\/\//i.test(url) && !exclude.has(url);
    visit({ href, url: tracked ? url : null, markers });
  }
}

/** The distinct tracked URLs of a rendered message, in document order (what the campaign records). */
export function extractLinks(html: string, exclude: string[] = []): string[] {
  const seen = new Set<string>();
  scanLinks(html, new Set(exclude), (link) => {
    if (link.url !== null) seen.add(link.url);
  });
  return [...seen];
}

/** The 1×1 open-tracking image, as appended before `</body>`. */
export function trackingPixel(url: string): string {
  return `<img src="${escapeHtml(url)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" />`;
}

/**
 * Rewrites tracked links through `linkUrl` and appends the open pixel before `</body>` (or at the
 * end). mailto:, tel:, anchors, excluded URLs and links marked `data-untracked` or
 * `data-edgepost-track="false"` stay as they are; the markers are removed.
 */
export function injectTracking(html: string, options: TrackingOptions): string {
  const indexes = new Map<string, number>();
  const out: string[] = [];
  let copied = 0;
  const bodyClose = scanLinks(html, new Set(options.exclude ?? []), (link) => {
    const edits: Array<{ start: number; end: number; text: string }> = [];
    for (const marker of link.markers)
      edits.push({ start: spaceBefore(html, marker.start), end: marker.end, text: "" });
    if (link.url !== null) {
      let index = indexes.get(link.url);
      if (index === undefined) {
        index = indexes.size;
        indexes.set(link.url, index);
      }
      const replacement = options.linkUrl(link.url, index);
      if (replacement !== null) {
        edits.push({ start: link.href.start, end: link.href.end, text: `href="${escapeHtml(replacement)}"` });
      }
    }
    edits.sort((a, b) => a.start - b.start);
    for (const edit of edits) {
      out.push(html.slice(copied, edit.start), edit.text);
      copied = edit.end;
    }
  });
  if (options.pixelUrl === null) {
    out.push(html.slice(copied));
    return out.join("");
  }
  const at = bodyClose >= copied ? bodyClose : html.length;
  out.push(html.slice(copied, at), trackingPixel(options.pixelUrl), html.slice(at));
  return out.join("");
}

/** Extends a removal back over the whitespace before an attribute, so no double spaces remain. */
function spaceBefore(html: string, start: number): number {
  let i = start;
  while (i > 0 && /\s/.test(html.charAt(i - 1))) i--;
  return i;
}

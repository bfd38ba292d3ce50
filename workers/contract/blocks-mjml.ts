import {
  type BlockDocument,
  type BlockStyle,
  type ContentBlock,
  hasFooter,
  type Row,
  type SectionBlock,
  type Theme,
} from "./blocks";

/**
 * Block document -> MJML source. Pure and synchronous (in the contract so the dashboard could
 * use it too); `mail/template/mjml.ts` turns it into HTML with `mjml-browser` in the Worker.
 *
 * Liquid survives: in text it is left as written (MJML passes `mj-text` content through), in
 * attributes its double quotes become single quotes (the same string to Liquid) so the attribute
 * stays well formed; everything outside Liquid is escaped.
 */

const LIQUID = /(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})/g;

/** Escapes text for element content, leaving Liquid tags and outputs as they are. */
export function escapeText(s: string): string {
  return s
    .split(LIQUID)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"),
    )
    .join("");
}

/** Escapes an attribute value; Liquid inside keeps its meaning with single-quoted strings. */
export function escapeAttr(s: string): string {
  return s
    .split(LIQUID)
    .map((part, i) =>
      i % 2 === 1
        ? part.replace(/"/g, "'")
        : part.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;"),
    )
    .join("");
}

/** Rich text goes in as written, except what would end or open MJML tags (`</mj-text>`, `<mjml>`). */
export const richText = (html: string) => html.replace(/<(\/?)(mj)/gi, "&lt;$1$2");

type Attrs = Record<string, string | number | undefined | null | false>;

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined && v !== null && v !== false && v !== "")
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join("");
}

const RADIUS = { square: "0px", rounded: "6px", pill: "999px" } as const;
const HEADING_SIZE = { 1: 28, 2: 22, 3: 18 } as const;
const VISIBILITY_CLASS = { all: undefined, desktop: "ep-desktop-only", mobile: "ep-mobile-only" } as const;

function common(style: BlockStyle | undefined): Attrs {
  const p = style?.padding;
  return {
    padding: p ? `${p.top}px ${p.right}px ${p.bottom}px ${p.left}px` : undefined,
    "container-background-color": style?.backgroundColor,
    "css-class": VISIBILITY_CLASS[style?.showOn ?? "all"],
  };
}

function textAttrs(style: BlockStyle | undefined): Attrs {
  return {
    ...common(style),
    color: style?.color,
    align: style?.align,
    "font-family": style?.fontFamily,
    "font-size": style?.fontSize ? `${style.fontSize}px` : undefined,
  };
}

/** Line breaks typed into plain-text fields become `<br>` (Liquid kept). */
const lines = (s: string) => escapeText(s).replace(/\r?\n/g, "<br />");

function link(href: string | undefined, inner: string): string {
  return href
    ? `<a href="${escapeAttr(href)}" style="color:inherit;text-decoration:none">${inner}</a>`
    : inner;
}

function heading(b: Extract<ContentBlock, { type: "heading" }>): string {
  const size = b.style?.fontSize ?? HEADING_SIZE[b.level];
  const inner = `<h${b.level} style="margin:0;font-size:${size}px;line-height:1.25;font-weight:700">${link(b.href, lines(b.text))}</h${b.level}>`;
  return `<mj-text${attrs(textAttrs(b.style))}>${inner}</mj-text>`;
}

function button(b: Extract<ContentBlock, { type: "button" }>, theme: Theme): string {
  const a: Attrs = {
    ...common(b.style),
    href: b.href,
    align: b.style?.align,
    "background-color": b.buttonColor ?? theme.buttonColor,
    color: b.textColor ?? theme.buttonTextColor,
    "border-radius": RADIUS[b.shape ?? theme.buttonShape],
    "font-family": b.style?.fontFamily,
    "font-size": b.style?.fontSize ? `${b.style.fontSize}px` : undefined,
  };
  return `<mj-button${attrs(a)}>${escapeText(b.text)}</mj-button>`;
}

function social(b: Extract<ContentBlock, { type: "social" }>): string {
  const known = new Set(["facebook", "x", "instagram", "linkedin", "youtube", "github", "web"]);
  const items = b.links.map((l) => {
    const name = known.has(l.network) ? `${l.network}-noshare` : "web-noshare";
    const label = known.has(l.network) ? "" : l.network;
    return `<mj-social-element${attrs({ name, href: l.url, alt: l.network })}>${escapeText(label)}</mj-social-element>`;
  });
  const a: Attrs = { ...common(b.style), align: b.style?.align, mode: "horizontal", "icon-size": "24px" };
  return `<mj-social${attrs(a)}>${items.join("")}</mj-social>`;
}

function footer(b: Extract<ContentBlock, { type: "footer" }>): string {
  const a: Attrs = {
    ...textAttrs(b.style),
    "font-size": `${b.style?.fontSize ?? 12}px`,
    align: b.style?.align ?? "center",
  };
  const parts = [
    b.text ? `<p style="margin:0 0 8px">${lines(b.text)}</p>` : "",
    b.address ? `<p style="margin:0 0 8px">${lines(b.address)}</p>` : "",
    `<p style="margin:0"><a href="{{ unsubscribe_url }}" style="color:inherit">${escapeText(b.unsubscribeText)}</a>`,
    b.preferencesText
      ? ` &middot; <a href="{{ preferences_url }}" style="color:inherit">${escapeText(b.preferencesText)}</a>`
      : "",
    "</p>",
  ];
  return `<mj-text${attrs(a)}>${parts.join("")}</mj-text>`;
}

/** One content block as an MJML column child. */
export function blockToMjml(b: ContentBlock, theme: Theme): string {
  switch (b.type) {
    case "heading":
      return heading(b);
    case "text":
      return `<mj-text${attrs(textAttrs(b.style))}>${richText(b.html)}</mj-text>`;
    case "image":
      return `<mj-image${attrs({ ...common(b.style), src: b.src, alt: b.alt, href: b.href, width: b.width ? `${b.width}px` : undefined, align: b.style?.align })} />`;
    case "button":
      return button(b, theme);
    case "divider":
      return `<mj-divider${attrs({ ...common(b.style), "border-color": b.lineColor ?? theme.textColor, "border-width": `${b.thickness}px`, "border-style": b.lineStyle })} />`;
    case "spacer":
      return `<mj-spacer${attrs({ ...common(b.style), height: `${b.height}px` })} />`;
    case "social":
      return social(b);
    case "footer":
      return footer(b);
  }
}

function sectionAttrs(style: BlockStyle | undefined, theme: Theme): Attrs {
  return {
    "background-color": style?.backgroundColor ?? theme.contentColor,
    padding: style?.padding
      ? `${style.padding.top}px ${style.padding.right}px ${style.padding.bottom}px ${style.padding.left}px`
      : "0px",
    "css-class": VISIBILITY_CLASS[style?.showOn ?? "all"],
    "text-align": style?.align,
  };
}

function section(s: SectionBlock, theme: Theme): string {
  const cols = s.columns.map((c) => {
    const width = c.width ? `${c.width}%` : `${Math.floor(10000 / s.columns.length) / 100}%`;
    return `<mj-column${attrs({ width })}>${c.blocks.map((b) => blockToMjml(b, theme)).join("")}</mj-column>`;
  });
  const inner = s.stackOnMobile ? cols.join("") : `<mj-group>${cols.join("")}</mj-group>`;
  return `<mj-section${attrs(sectionAttrs(s.style, theme))}>${inner}</mj-section>`;
}

/** A row: a section as it is, a lone block in a one-column section of the content colour. */
export function rowToMjml(r: Row, theme: Theme): string {
  if (r.type === "section") return section(r, theme);
  const sec = attrs({ "background-color": theme.contentColor, padding: "0px" });
  return `<mj-section${sec}><mj-column>${blockToMjml(r, theme)}</mj-column></mj-section>`;
}

const VISIBILITY_CSS =
  ".ep-mobile-only{display:none;mso-hide:all;max-height:0;overflow:hidden}" +
  "@media only screen and (max-width:480px){.ep-desktop-only{display:none !important}" +
  ".ep-mobile-only{display:block !important;max-height:none !important;overflow:visible !important}}";

function head(theme: Theme): string {
  return [
    "<mj-head>",
    `<mj-attributes><mj-all${attrs({ "font-family": theme.fontFamily })} />`,
    `<mj-text${attrs({ color: theme.textColor, "font-size": "16px", "line-height": "1.5" })} />`,
    "</mj-attributes>",
    `<mj-style>${VISIBILITY_CSS} a{color:${theme.linkColor}}</mj-style>`,
    theme.preheader ? `<mj-preview>${escapeText(theme.preheader)}</mj-preview>` : "",
    "</mj-head>",
  ].join("");
}

/** The whole document as MJML. */
export function blocksToMjml(doc: BlockDocument): string {
  const { theme } = doc;
  const body = doc.rows.map((r) => rowToMjml(r, theme)).join("\n");
  const bodyAttrs = attrs({ "background-color": theme.backgroundColor, width: `${theme.width}px` });
  return `<mjml>${head(theme)}<mj-body${bodyAttrs}>\n${body}\n</mj-body></mjml>`;
}

/** What keeps a document from being saved as a template of this kind (empty: nothing). */
export function blockDocumentProblems(doc: BlockDocument, kind: "campaign" | "transactional"): string[] {
  const problems: string[] = [];
  if (kind === "campaign" && !hasFooter(doc))
    problems.push("Campaign templates need a footer block (it holds the unsubscribe link)");
  return problems;
}

import {
  type BlockDocument,
  type BlockType,
  type ContentBlock,
  type Row,
  type SectionBlock,
  type Theme,
  ThemeSchema,
} from "../../../../../workers/contract/blocks";

export type { BlockDocument, ContentBlock, Row, SectionBlock, Theme };
export type PaletteType = BlockType | "section";

/** Where a block is: a row of the document, or a block in a section's column. */
export type BlockPath = { row: number } | { row: number; column: number; index: number };

export const newId = (prefix = "b") => `${prefix}${Math.random().toString(36).slice(2, 10)}`;

export const PALETTE: readonly PaletteType[] = [
  "heading",
  "text",
  "image",
  "button",
  "divider",
  "spacer",
  "social",
  "footer",
  "section",
];

/** A new block of a type, with content to replace. */
export function newBlock(type: BlockType): ContentBlock {
  const id = newId();
  switch (type) {
    case "heading":
      return { id, type, text: "A heading", level: 1 }; // i18n-ignore: the user's content
    case "text":
      return { id, type, html: '<p>Write something, {{ subscriber.name | default: "there" }}.</p>' };
    case "image":
      return { id, type, src: "https://placehold.co/600x240/png", alt: "" };
    case "button":
      return { id, type, text: "Read more", href: "https://example.com" }; // i18n-ignore: content
    case "divider":
      return { id, type, thickness: 1, lineStyle: "solid" };
    case "spacer":
      return { id, type, height: 24 };
    case "social":
      return { id, type, links: [{ network: "web", url: "https://example.com" }] };
    case "footer":
      return {
        id,
        type,
        address: "{{ postal_address }}",
        text: "",
        unsubscribeText: "Unsubscribe",
        preferencesText: "Update your preferences", // i18n-ignore: the user's content
      };
  }
}

export function newSection(columns: number): SectionBlock {
  return {
    id: newId("s"),
    type: "section",
    stackOnMobile: true,
    columns: Array.from({ length: columns }, () => ({ id: newId("c"), blocks: [newBlock("text")] })),
  };
}

export const newRow = (type: PaletteType): Row => (type === "section" ? newSection(2) : newBlock(type));

/** A copy with fresh ids (sections' columns and blocks too). */
export function cloneRow<T extends Row>(row: T): T {
  if (row.type !== "section") return { ...row, id: newId() };
  return {
    ...row,
    id: newId("s"),
    columns: row.columns.map((c) => ({
      ...c,
      id: newId("c"),
      blocks: c.blocks.map((b) => ({ ...b, id: newId() })),
    })),
  } as T;
}

export function insertRow(doc: BlockDocument, at: number, row: Row): BlockDocument {
  const rows = [...doc.rows];
  rows.splice(Math.max(0, Math.min(at, rows.length)), 0, row);
  return { ...doc, rows };
}

/** Moves row `from` so that it lands before the row now at `to` (`to` = length: the end). */
export function moveRow(doc: BlockDocument, from: number, to: number): BlockDocument {
  if (from === to || from + 1 === to) return doc;
  const rows = [...doc.rows];
  const [row] = rows.splice(from, 1);
  if (!row) return doc;
  rows.splice(to > from ? to - 1 : to, 0, row);
  return { ...doc, rows };
}

export function removeAt(doc: BlockDocument, path: BlockPath): BlockDocument {
  if (!("column" in path)) return { ...doc, rows: doc.rows.filter((_, i) => i !== path.row) };
  return updateColumn(doc, path.row, path.column, (blocks) => blocks.filter((_, i) => i !== path.index));
}

export function duplicateAt(doc: BlockDocument, path: BlockPath): BlockDocument {
  if (!("column" in path)) {
    const row = doc.rows[path.row];
    return row ? insertRow(doc, path.row + 1, cloneRow(row)) : doc;
  }
  return updateColumn(doc, path.row, path.column, (blocks) => {
    const b = blocks[path.index];
    return b
      ? [...blocks.slice(0, path.index + 1), { ...b, id: newId() }, ...blocks.slice(path.index + 1)]
      : blocks;
  });
}

/** Moves a block up (-1) or down (+1) among its siblings. */
export function nudge(doc: BlockDocument, path: BlockPath, by: -1 | 1): BlockDocument {
  if (!("column" in path)) return moveRow(doc, path.row, by < 0 ? path.row - 1 : path.row + 2);
  return updateColumn(doc, path.row, path.column, (blocks) => {
    const to = path.index + by;
    if (to < 0 || to >= blocks.length) return blocks;
    const next = [...blocks];
    [next[path.index], next[to]] = [next[to] as ContentBlock, next[path.index] as ContentBlock];
    return next;
  });
}

export function updateColumn(
  doc: BlockDocument,
  row: number,
  column: number,
  f: (blocks: ContentBlock[]) => ContentBlock[],
): BlockDocument {
  const sec = doc.rows[row];
  if (sec?.type !== "section") return doc;
  const columns = sec.columns.map((c, i) => (i === column ? { ...c, blocks: f(c.blocks) } : c));
  return { ...doc, rows: doc.rows.map((r, i) => (i === row ? { ...sec, columns } : r)) };
}

/** Replaces the block at `path` (the same object elsewhere, so unchanged rows keep their identity). */
export function replaceAt(doc: BlockDocument, path: BlockPath, block: Row): BlockDocument {
  if (!("column" in path)) return { ...doc, rows: doc.rows.map((r, i) => (i === path.row ? block : r)) };
  return updateColumn(doc, path.row, path.column, (blocks) =>
    blocks.map((b, i) => (i === path.index ? (block as ContentBlock) : b)),
  );
}

export function blockAt(doc: BlockDocument, path: BlockPath | null): Row | null {
  if (!path) return null;
  const row = doc.rows[path.row];
  if (!row || !("column" in path)) return row ?? null;
  return row.type === "section" ? (row.columns[path.column]?.blocks[path.index] ?? null) : null;
}

/** Changes a section's number of columns, keeping the blocks of the columns that stay. */
export function setColumnCount(section: SectionBlock, n: number): SectionBlock {
  const columns = Array.from(
    { length: n },
    (_, i) => section.columns[i] ?? { id: newId("c"), blocks: [newBlock("text")] },
  ).map((c) => ({ id: c.id, blocks: c.blocks }));
  return { ...section, columns };
}

/** The brand theme of `GET /settings` (when the settings have one), as a document theme. */
export interface Brand {
  logoUrl: string | null;
  primaryColor: string;
  backgroundColor: string;
  textColor: string;
  buttonColor: string;
  buttonTextColor: string;
  fontFamily: string;
  buttonStyle: "square" | "rounded" | "pill";
}

const HEX = /^#[0-9a-fA-F]{6}$/;

export function themeOf(brand: Partial<Brand> | null | undefined): Theme {
  const base = ThemeSchema.parse({});
  if (!brand) return base;
  const hex = (v: unknown, fallback: string) => (typeof v === "string" && HEX.test(v) ? v : fallback);
  const font =
    typeof brand.fontFamily === "string" && /^[A-Za-z0-9 ,'"-]{1,200}$/.test(brand.fontFamily)
      ? brand.fontFamily
      : base.fontFamily;
  const shape = ["square", "rounded", "pill"].includes(brand.buttonStyle ?? "")
    ? brand.buttonStyle
    : undefined;
  return {
    ...base,
    backgroundColor: hex(brand.backgroundColor, base.backgroundColor),
    textColor: hex(brand.textColor, base.textColor),
    linkColor: hex(brand.primaryColor, base.linkColor),
    buttonColor: hex(brand.buttonColor, base.buttonColor),
    buttonTextColor: hex(brand.buttonTextColor, base.buttonTextColor),
    buttonShape: shape ?? base.buttonShape,
    fontFamily: font,
  };
}

/**
 * innerHTML escapes `<`, `>` and `&` in text, which would change Liquid (`{% if a > b %}`): inside
 * Liquid tags and outputs they are put back as typed.
 */
export function liquidSafe(html: string): string {
  return html.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, (m) =>
    m
      .replace(/&gt;/g, ">")
      .replace(/&lt;/g, "<")
      .replace(/&quot;/g, '"')
      .replace(/&nbsp;/g, " ")
      .replace(/&amp;/g, "&"),
  );
}

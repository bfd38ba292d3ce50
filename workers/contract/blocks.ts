import { z } from "@hono/zod-openapi";

/**
 * The block document of a template built with the block builder: a list of rows, each a block or a
 * section of 1-4 columns holding blocks. Stored with each template version beside the compiled HTML
 * (`blocks-mjml.ts` turns it into MJML, MJML into HTML). Every object is `.strict()` and every size
 * is bounded, so a stored document is always one the compiler and the editor can handle.
 */

export const MAX_BLOCKS = 200;
const MAX_TEXT = 20_000;
const MAX_URL = 2_000;

const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "a colour such as #1a2b3c")
  .openapi({ example: "#1a2b3c" });
/** A URL or a Liquid expression giving one (`{{ unsubscribe_url }}`); never `javascript:`. */
const url = z
  .string()
  .trim()
  .max(MAX_URL)
  .refine((u) => !/^\s*(javascript|vbscript|data):/i.test(u), "an http(s) or mailto link, or Liquid");
const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _");
const px = (max: number) => z.number().int().min(0).max(max);
const FONT = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9 ,'"-]+$/, "font names separated by commas");

export const PaddingSchema = z
  .object({ top: px(200), right: px(200), bottom: px(200), left: px(200) })
  .strict()
  .openapi("BlockPadding");

/** Settings every block and section may have; absent ones come from the document's theme. */
export const BlockStyleSchema = z
  .object({
    backgroundColor: color.optional(),
    color: color.optional(),
    padding: PaddingSchema.optional(),
    align: z.enum(["left", "center", "right"]).optional(),
    fontFamily: FONT.optional(),
    fontSize: z.number().int().min(8).max(72).optional(),
    /** Hide on small screens (`desktop`) or large ones (`mobile`). */
    showOn: z.enum(["all", "desktop", "mobile"]).optional(),
  })
  .strict()
  .openapi("BlockStyle");

export type BlockStyle = z.infer<typeof BlockStyleSchema>;

const base = { id, style: BlockStyleSchema.optional() };

export const HeadingBlockSchema = z
  .object({
    ...base,
    type: z.literal("heading"),
    text: z.string().max(1000),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1),
    href: url.optional(),
  })
  .strict();

/** Rich text: a fragment of inline HTML (p, br, strong, em, a, lists); Liquid allowed inside. */
export const TextBlockSchema = z
  .object({ ...base, type: z.literal("text"), html: z.string().max(MAX_TEXT) })
  .strict();

export const ImageBlockSchema = z
  .object({
    ...base,
    type: z.literal("image"),
    src: url,
    alt: z.string().max(500).default(""),
    href: url.optional(),
    /** Pixels; absent: the column's width. */
    width: z.number().int().min(10).max(1200).optional(),
  })
  .strict();

export const ButtonBlockSchema = z
  .object({
    ...base,
    type: z.literal("button"),
    text: z.string().min(1).max(200),
    href: url,
    buttonColor: color.optional(),
    textColor: color.optional(),
    shape: z.enum(["square", "rounded", "pill"]).optional(),
  })
  .strict();

export const DividerBlockSchema = z
  .object({
    ...base,
    type: z.literal("divider"),
    lineColor: color.optional(),
    thickness: z.number().int().min(1).max(20).default(1),
    lineStyle: z.enum(["solid", "dashed", "dotted"]).default("solid"),
  })
  .strict();

export const SpacerBlockSchema = z
  .object({ ...base, type: z.literal("spacer"), height: z.number().int().min(1).max(400).default(24) })
  .strict();

export const SOCIAL_NETWORKS = [
  "facebook",
  "x",
  "instagram",
  "linkedin",
  "youtube",
  "tiktok",
  "github",
  "mastodon",
  "web",
] as const;

export const SocialBlockSchema = z
  .object({
    ...base,
    type: z.literal("social"),
    links: z.array(z.object({ network: z.enum(SOCIAL_NETWORKS), url }).strict()).max(12),
  })
  .strict();

/**
 * The footer: the postal address and the unsubscribe and preferences links. Campaign templates
 * built with blocks must have one (their unsubscribe link is the one the send check looks for).
 */
export const FooterBlockSchema = z
  .object({
    ...base,
    type: z.literal("footer"),
    /** Liquid allowed; `{{ postal_address }}` is the organisation's address from the settings. */
    address: z.string().max(2000).default("{{ postal_address }}"),
    text: z.string().max(2000).default(""),
    unsubscribeText: z.string().min(1).max(200).default("Unsubscribe"),
    preferencesText: z.string().max(200).default("Update your preferences"),
  })
  .strict();

export const ContentBlockSchema = z
  .discriminatedUnion("type", [
    HeadingBlockSchema,
    TextBlockSchema,
    ImageBlockSchema,
    ButtonBlockSchema,
    DividerBlockSchema,
    SpacerBlockSchema,
    SocialBlockSchema,
    FooterBlockSchema,
  ])
  .openapi("ContentBlock");
export type ContentBlock = z.infer<typeof ContentBlockSchema>;
export type BlockType = ContentBlock["type"];

export const ColumnSchema = z
  .object({
    id,
    /** Percent of the section; absent: an equal share. */
    width: z.number().int().min(10).max(100).optional(),
    blocks: z.array(ContentBlockSchema).max(MAX_BLOCKS),
  })
  .strict()
  .openapi("BlockColumn");

export const SectionBlockSchema = z
  .object({
    ...base,
    type: z.literal("section"),
    columns: z.array(ColumnSchema).min(1).max(4),
    /** On phones columns stack; set to keep them side by side. */
    stackOnMobile: z.boolean().default(true),
  })
  .strict()
  .openapi("SectionBlock");

export const RowSchema = z.discriminatedUnion("type", [
  HeadingBlockSchema,
  TextBlockSchema,
  ImageBlockSchema,
  ButtonBlockSchema,
  DividerBlockSchema,
  SpacerBlockSchema,
  SocialBlockSchema,
  FooterBlockSchema,
  SectionBlockSchema,
]);
export type Row = z.infer<typeof RowSchema>;
export type SectionBlock = z.infer<typeof SectionBlockSchema>;
export type AnyBlock = ContentBlock | SectionBlock;

export const ThemeSchema = z
  .object({
    backgroundColor: color.default("#f4f4f5"),
    contentColor: color.default("#ffffff"),
    textColor: color.default("#1f2937"),
    linkColor: color.default("#2563eb"),
    buttonColor: color.default("#2563eb"),
    buttonTextColor: color.default("#ffffff"),
    buttonShape: z.enum(["square", "rounded", "pill"]).default("rounded"),
    fontFamily: FONT.default("Helvetica, Arial, sans-serif"),
    /** Content width in pixels. */
    width: z.number().int().min(320).max(900).default(600),
    /** The inbox preview line. */
    preheader: z.string().max(300).default(""),
  })
  .strict()
  .openapi("BlockTheme");
export type Theme = z.infer<typeof ThemeSchema>;

/** Every block of a document, sections' columns included. */
export function allBlocks(rows: readonly Row[]): ContentBlock[] {
  return rows.flatMap((r) => (r.type === "section" ? r.columns.flatMap((c) => c.blocks) : [r]));
}

export const BlockDocumentSchema = z
  .object({
    version: z.literal(1).default(1),
    theme: ThemeSchema.default(ThemeSchema.parse({})),
    rows: z.array(RowSchema).max(MAX_BLOCKS),
  })
  .strict()
  .superRefine((doc, ctx) => {
    if (allBlocks(doc.rows).length > MAX_BLOCKS)
      ctx.addIssue({ code: "custom", message: `at most ${MAX_BLOCKS} blocks`, path: ["rows"] });
    const ids = new Set<string>();
    for (const r of doc.rows) {
      for (const x of r.type === "section" ? [r, ...r.columns, ...r.columns.flatMap((c) => c.blocks)] : [r]) {
        if (ids.has(x.id))
          ctx.addIssue({ code: "custom", message: `id "${x.id}" is used twice`, path: ["rows"] });
        ids.add(x.id);
      }
    }
  })
  .openapi("BlockDocument");
export type BlockDocument = z.infer<typeof BlockDocumentSchema>;
export type BlockDocumentInput = z.input<typeof BlockDocumentSchema>;

export const EditorKindSchema = z.enum(["html", "blocks"]).openapi("EditorKind");
export type EditorKind = z.infer<typeof EditorKindSchema>;

/** A document's footer, if it has one (campaign templates must). */
export function hasFooter(doc: { rows: readonly Row[] }): boolean {
  return allBlocks(doc.rows).some((b) => b.type === "footer");
}

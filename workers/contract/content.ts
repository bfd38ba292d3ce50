import { z } from "@hono/zod-openapi";
import { INTEGER_MAX } from "../../schema/columns";
import { TEMPLATE_KINDS } from "../../schema/templates";
import { BlockDocumentSchema, EditorKindSchema } from "./blocks";

/** A stored template version: an `integer` column, so anything larger names no version. */
export const VersionNumberSchema = z.number().int().min(1).max(INTEGER_MAX);

/** Template sources are Liquid; 512 KB of HTML is far beyond any sane email (Gmail clips at 102 KB). */
const MAX_HTML = 512 * 1024;

export const TemplateKindSchema = z.enum(TEMPLATE_KINDS).openapi("TemplateKind");

/** How the content is written; a blocks template's `html` is compiled from `blocks` by the Worker. */
const editorFields = {
  editor: EditorKindSchema,
  /** The block document (null for HTML templates). */
  blocks: BlockDocumentSchema.nullable(),
};

export const TemplateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: TemplateKindSchema,
    /** Transactional sends from it track opens and clicks unless the send says `track`. */
    track: z.boolean(),
    currentVersion: z.number().int(),
    subject: z.string(),
    html: z.string(),
    /** Null: the text part is generated from the HTML. */
    text: z.string().nullable(),
    ...editorFields,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Template", {
    example: {
      id: "0193b5a0-7a2b-7c3d-9e4f-5061728394a5",
      name: "March newsletter",
      kind: "campaign",
      track: true,
      currentVersion: 3,
      subject: "News for {{ subscriber.name }}",
      html: '<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
      text: "Hi {{ subscriber.name }}",
      editor: "html",
      blocks: null,
      createdAt: "2026-03-02T09:30:00.000Z",
      updatedAt: "2026-03-02T09:30:00.000Z",
    },
  });

export const TemplateSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: TemplateKindSchema,
    /** Transactional sends from it track opens and clicks unless the send says `track`. */
    track: z.boolean(),
    currentVersion: z.number().int(),
    subject: z.string(),
    editor: EditorKindSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("TemplateSummary", {
    example: {
      id: "0193b5a0-7a2b-7c3d-9e4f-5061728394a5",
      name: "March newsletter",
      kind: "campaign",
      track: true,
      currentVersion: 3,
      subject: "News for {{ subscriber.name }}",
      editor: "html",
      createdAt: "2026-03-02T09:30:00.000Z",
      updatedAt: "2026-03-02T09:30:00.000Z",
    },
  });

const content = {
  subject: z.string().trim().min(1).max(998),
  html: z.string().min(1).max(MAX_HTML),
  text: z.string().max(MAX_HTML).nullable().optional(),
};

const BLOCKS_NEED_EDITOR = {
  message: 'blocks belong to a template with "editor": "blocks"',
  path: ["blocks"],
};

export const CreateTemplateSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    subject: content.subject,
    /** Required for HTML templates; for blocks templates the Worker compiles it from `blocks`. */
    html: content.html.optional(),
    text: content.text,
    kind: TemplateKindSchema.default("campaign"),
    /**
     * Transactional sends from this template track opens and clicks (default true); a send's own
     * `track` wins. Campaigns follow the settings' tracking.
     */
    track: z.boolean().optional(),
    /** Move `<style>` rules into `style` attributes before saving (many mail clients drop `<style>`). */
    inlineCss: z.boolean().optional(),
    editor: EditorKindSchema.default("html"),
    blocks: BlockDocumentSchema.optional(),
  })
  .strict()
  .refine((t) => t.editor === "blocks" || t.html !== undefined, {
    message: "html is required (or build the template with blocks)",
    path: ["html"],
  })
  .refine((t) => t.editor !== "blocks" || t.blocks !== undefined, {
    message: 'a template with "editor": "blocks" needs its blocks',
    path: ["blocks"],
  })
  .refine((t) => t.editor === "blocks" || t.blocks === undefined, BLOCKS_NEED_EDITOR)
  .openapi("CreateTemplate", {
    example: {
      name: "March newsletter",
      subject: "News for {{ subscriber.name }}",
      html: '<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
      kind: "campaign",
    },
  });
export type CreateTemplate = z.infer<typeof CreateTemplateSchema>;

export const UpdateTemplateSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    subject: content.subject.optional(),
    html: content.html.optional(),
    text: content.text,
    kind: TemplateKindSchema.optional(),
    track: z.boolean().optional(),
    inlineCss: z.boolean().optional(),
    /** Make a new version with the content of this earlier one (content fields may not be given too). */
    restoreVersion: VersionNumberSchema.optional(),
    /** `"html"` converts a blocks template to HTML (its compiled HTML, or `html`, stays). */
    editor: EditorKindSchema.optional(),
    /** A new block document: the Worker compiles the new `html` from it. */
    blocks: BlockDocumentSchema.optional(),
  })
  .refine(
    (t) =>
      t.restoreVersion === undefined ||
      (t.subject === undefined &&
        t.html === undefined &&
        t.text === undefined &&
        t.blocks === undefined &&
        t.editor === undefined),
    {
      message:
        "restoreVersion replaces the content: do not send subject, html, text, editor or blocks with it",
      path: ["restoreVersion"],
    },
  )
  .strict()
  .refine((t) => t.blocks === undefined || t.editor !== "html", BLOCKS_NEED_EDITOR)
  .refine((t) => t.editor !== "blocks" || t.blocks !== undefined, {
    message: 'switching to "editor": "blocks" needs the blocks',
    path: ["blocks"],
  })
  .openapi("UpdateTemplate", {
    example: {
      subject: "Our March news, {{ subscriber.name }}",
      html: '<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    },
  });
export type UpdateTemplate = z.infer<typeof UpdateTemplateSchema>;

export const TemplateVersionSchema = z
  .object({
    id: z.string(),
    templateId: z.string(),
    version: z.number().int(),
    subject: z.string(),
    html: z.string(),
    text: z.string().nullable(),
    ...editorFields,
    createdById: z.string().nullable(),
    /** The author's name (lists only), so people who may not read users still see who it was. */
    createdByName: z.string().nullable().optional(),
    createdAt: z.string(),
  })
  .openapi("TemplateVersion", {
    example: {
      id: "0193b5a0-7a2b-7c3d-9e4f-5061728394a5",
      templateId: "0193b5a0-7a2b-7c3d-9e4f-5061728394a5",
      version: 3,
      subject: "News for {{ subscriber.name }}",
      html: '<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
      text: "Hi {{ subscriber.name }}",
      editor: "html",
      blocks: null,
      createdById: "0193b5a1-5f60-7172-8384-95a6b7c8d9ea",
      createdByName: "example",
      createdAt: "2026-03-02T09:30:00.000Z",
    },
  });

export const TemplateProblemSchema = z
  .object({
    part: z.enum(["subject", "html", "text"]),
    line: z.number().int(),
    column: z.number().int(),
    message: z.string(),
  })
  .openapi("TemplateProblem");

export const CheckTemplateSchema = z
  .object({
    // A template being written may have no subject yet: the check is about the rest.
    subject: z.string().max(998).default(""),
    html: content.html,
    text: content.text,
    kind: TemplateKindSchema.default("campaign"),
  })
  .strict()
  .openapi("CheckTemplate", {
    example: {
      subject: "News for {{ subscriber.name }}",
      html: '<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    },
  });

export const TemplateCheckSchema = z
  .object({
    ok: z.boolean(),
    problems: z.array(TemplateProblemSchema),
    /** Campaign templates must link `{{ unsubscribe_url }}`. */
    hasUnsubscribeLink: z.boolean(),
  })
  .openapi("TemplateCheck", {
    example: {
      ok: true,
      problems: [{ part: "subject", line: 1, column: 1, message: "No such template" }],
      hasUnsubscribeLink: false,
    },
  });

export const PreviewTemplateSchema = z
  .object({
    /** Render as this subscriber would get it; without one, sample data is used. */
    subscriberId: z.string().uuid().optional(),
    /** Extra `data.*` variables (transactional templates), merged over sample values. */
    data: z.record(z.string(), z.unknown()).optional(),
    /** A stored version instead of the current one. */
    version: VersionNumberSchema.optional(),
    /** Unsaved content to render instead (the editor's live preview). */
    subject: content.subject.optional(),
    html: content.html.optional(),
    text: content.text,
  })
  .strict()
  .openapi("PreviewTemplate", { example: { subscriberId: "0193b5a1-2c3d-7e4f-9051-62738495a6b7" } });
export type PreviewTemplate = z.infer<typeof PreviewTemplateSchema>;

export const RenderedSchema = z
  .object({ subject: z.string(), html: z.string(), text: z.string() })
  .openapi("RenderedMessage", {
    example: {
      subject: "News for {{ subscriber.name }}",
      html: '<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
      text: "Hi {{ subscriber.name }}",
    },
  });

export const TemplateTestSchema = z
  .object({
    emails: z.array(z.string().trim().email()).min(1).max(10),
    /** Render as this subscriber; else as the subscriber with each address, else sample data. */
    subscriberId: z.string().uuid().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    /** Unsaved editor content to send instead. */
    subject: content.subject.optional(),
    html: content.html.optional(),
    text: content.text,
  })
  .strict()
  .openapi("TemplateTest", { example: { emails: ["ada@example.com"] } });

export const CompileBlocksSchema = z
  .object({ blocks: BlockDocumentSchema })
  .strict()
  .openapi("CompileBlocks", {
    example: {
      blocks: {
        rows: [
          { id: "0193b5a1-2c3d-7e4f-9051-62738495a6b7", type: "heading", text: "Hi {{ subscriber.name }}" },
        ],
      },
    },
  });

export const CompiledBlocksSchema = z
  .object({
    /** The email HTML (Liquid kept), as a save would store it. */
    html: z.string(),
    /** The MJML it was compiled from. */
    mjml: z.string(),
  })
  .openapi("CompiledBlocks", {
    example: {
      html: '<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
      mjml: "<mjml><mj-body>…</mj-body></mjml>",
    },
  });

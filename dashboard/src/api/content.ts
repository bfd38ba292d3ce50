import type { z } from "@hono/zod-openapi";
import type { BlockDocument } from "../../../workers/contract/blocks";
import type { TestSendResultSchema } from "../../../workers/contract/campaigns";
import type {
  CheckTemplateSchema,
  CreateTemplate,
  PreviewTemplate,
  RenderedSchema,
  TemplateCheckSchema,
  TemplateKindSchema,
  TemplateProblemSchema,
  TemplateSchema,
  TemplateSummarySchema,
  TemplateTestSchema,
  TemplateVersionSchema,
  UpdateTemplate,
} from "../../../workers/contract/content";
import { call, type Page, type PageParams } from "./client";
import type { Query } from "./http";

export type Template = z.infer<typeof TemplateSchema>;
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;
export type TemplateKind = z.infer<typeof TemplateKindSchema>;
export type TemplateVersion = z.infer<typeof TemplateVersionSchema>;
export type TemplateProblem = z.infer<typeof TemplateProblemSchema>;
export type TemplatePart = TemplateProblem["part"];
export type TemplateCheck = z.infer<typeof TemplateCheckSchema>;
export type CheckTemplate = z.input<typeof CheckTemplateSchema>;
export type RenderedMessage = z.infer<typeof RenderedSchema>;
export type TemplateTest = z.infer<typeof TemplateTestSchema>;
export type TestSendResults = z.infer<typeof TestSendResultSchema>;
export type TestSendResult = TestSendResults["results"][number];
export type { CreateTemplate, PreviewTemplate, UpdateTemplate };

/** Filters of the template table (paging is passed apart). */
export interface TemplateFilters {
  kind?: TemplateKind;
  /** Name contains. */
  q?: string;
}

export const TEMPLATE_KINDS = ["campaign", "transactional"] as const satisfies readonly TemplateKind[];

const path = (id: string, rest = "") => `/templates/${encodeURIComponent(id)}${rest}`;

/** The typed content API: templates, their versions, checks, previews and test sends. */
export const content = {
  templates: {
    list: (filters: TemplateFilters, page: PageParams) =>
      call<Page<TemplateSummary>>("GET", "/templates", { query: { ...filters, ...page } satisfies Query }),
    get: (id: string) => call<Template>("GET", path(id)),
    create: (body: CreateTemplate) => call<Template>("POST", "/templates", { body }),
    /** Content changes make a new version; `{restoreVersion}` copies an old one into a new version. */
    update: (id: string, body: UpdateTemplate) => call<Template>("PATCH", path(id), { body }),
    remove: (id: string) => call<void>("DELETE", path(id)),
    /** Blocks -> HTML by the Worker (the same compile a save stores). */
    compile: (blocks: BlockDocument) =>
      call<{ html: string; mjml: string }>("POST", "/templates/compile", { body: { blocks } }),
    /** Syntax problems and the unsubscribe link of unsaved content; nothing is stored. */
    check: (body: CheckTemplate) => call<TemplateCheck>("POST", "/templates/check", { body }),
    /** Renders a saved template's (or, with no id, a new template's) unsaved content. */
    preview: (id: string | null, body: PreviewTemplate) =>
      call<RenderedMessage>("POST", id ? path(id, "/preview") : "/templates/preview", { body }),
    test: (id: string, body: TemplateTest) => call<TestSendResults>("POST", path(id, "/test"), { body }),
    versions: (id: string, page: PageParams) =>
      call<Page<TemplateVersion>>("GET", path(id, "/versions"), { query: { ...page } }),
    version: (id: string, version: number) => call<TemplateVersion>("GET", path(id, `/versions/${version}`)),
  },
};

/** The brand theme, when the settings have one (`GET /settings` `brand`); null otherwise. */
export async function brandTheme(): Promise<Record<string, unknown> | null> {
  try {
    const settings = await call<{ brand?: unknown }>("GET", "/settings");
    return settings.brand && typeof settings.brand === "object"
      ? (settings.brand as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

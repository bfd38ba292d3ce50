import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { INTEGER_MAX } from "../../../schema/columns";
import { TEMPLATE_KINDS } from "../../../schema/templates";
import { TestSendResultSchema as TestResultsSchema } from "../../contract/campaigns";
import { IdParamSchema, PageQuerySchema, pageOf } from "../../contract/common";
import {
  CheckTemplateSchema,
  CompileBlocksSchema,
  CompiledBlocksSchema,
  CreateTemplateSchema,
  PreviewTemplateSchema,
  RenderedSchema,
  TemplateCheckSchema,
  TemplateSchema,
  TemplateSummarySchema,
  TemplateTestSchema,
  TemplateVersionSchema,
  UpdateTemplateSchema,
} from "../../contract/content";
import { previewTemplate } from "../../domain/content/preview";
import { checkTemplateContent } from "../../domain/content/template-check";
import {
  compileBlockDocument,
  createTemplate,
  deleteTemplate,
  getTemplate,
  getTemplateVersion,
  listTemplates,
  listTemplateVersions,
  updateTemplate,
} from "../../domain/content/templates";
import { sendTemplateTest } from "../../domain/sending/template-test";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const templatesApi = new OpenAPIHono<HonoEnv>();
const tags = ["Templates"];

const ListQuery = PageQuerySchema.extend({
  kind: z.enum(TEMPLATE_KINDS).optional(),
  q: z.string().trim().max(200).optional().openapi({ description: "Name contains" }),
});
const VersionParams = IdParamSchema.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(INTEGER_MAX)
    .openapi({ param: { name: "version", in: "path" } }),
});

templatesApi.openapi(
  createRoute({
    method: "get",
    path: "/templates",
    operationId: "listTemplates",
    tags,
    summary: "List templates (current subject, no bodies)",
    ...authed("analyst"),
    request: { query: ListQuery },
    responses: {
      200: jsonResponse(pageOf(TemplateSummarySchema, "TemplatePage"), "Templates"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listTemplates(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

templatesApi.openapi(
  createRoute({
    method: "post",
    path: "/templates",
    operationId: "createTemplate",
    tags,
    summary: "Create a template (version 1)",
    description:
      "Liquid syntax is checked first: a 400 lists each error with its part, line and column. Campaign templates " +
      "must link `{{ unsubscribe_url }}` (422 otherwise). The content is then rendered once with sample data under " +
      "the render limits (steps, output size, memory, time): a template that fails or hits a limit is a 422 naming it. " +
      'With `"editor": "blocks"` send `blocks` (a block document) instead of `html`: the Worker compiles it with MJML ' +
      "and stores that HTML (an `html` sent too is replaced); campaign documents need a footer block (422).",
    ...authed("editor"),
    request: { body: jsonBody(CreateTemplateSchema) },
    responses: { 201: jsonResponse(TemplateSchema, "Created"), ...errors(400, 401, 403, 422) },
  }),
  async (c) => c.json(toJson(await createTemplate(c.var.ctx, c.req.valid("json"))), 201),
);

templatesApi.openapi(
  createRoute({
    method: "post",
    path: "/templates/check",
    operationId: "checkTemplate",
    tags,
    summary:
      "Check Liquid syntax, the unsubscribe link and a sample render without saving (the editor calls this as you type)",
    description:
      "Once the syntax is sound the content is rendered with sample data under the render limits: a template that " +
      "fails or hits a limit gets a problem naming the part, line and limit.",
    ...authed("editor"),
    request: { body: jsonBody(CheckTemplateSchema) },
    responses: { 200: jsonResponse(TemplateCheckSchema, "The problems found"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const src = { subject: input.subject, html: input.html, text: input.text ?? null };
    return c.json(await checkTemplateContent(c.var.db, src, input.kind), 200);
  },
);

templatesApi.openapi(
  createRoute({
    method: "post",
    operationId: "compileTemplateBlocks",
    path: "/templates/compile",
    tags,
    summary:
      "Compile a block document to email HTML (MJML) without saving (the block builder calls this as you edit)",
    description:
      "The HTML is exactly what saving the blocks would store, Liquid kept as written. Nothing is checked here " +
      "beyond the document's shape: `/templates/check` checks the HTML.",
    ...authed("analyst"),
    request: { body: jsonBody(CompileBlocksSchema) },
    responses: {
      200: jsonResponse(CompiledBlocksSchema, "The compiled HTML"),
      ...errors(400, 401, 403, 422),
    },
  }),
  async (c) => c.json(await compileBlockDocument(c.req.valid("json").blocks), 200),
);

templatesApi.openapi(
  createRoute({
    method: "get",
    path: "/templates/{id}",
    operationId: "getTemplate",
    tags,
    summary: "A template with its current content",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(TemplateSchema, "The template"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(toJson(await getTemplate(c.var.db, c.req.valid("param").id)), 200),
);

templatesApi.openapi(
  createRoute({
    method: "patch",
    path: "/templates/{id}",
    operationId: "updateTemplate",
    tags,
    summary: "Rename, or change content (a new immutable version), or restore an old version",
    description:
      "New `blocks` are compiled to the new `html` (a blocks template's HTML cannot be patched alone: 422). " +
      '`"editor": "html"` converts a blocks template to HTML, keeping its compiled HTML (or the `html` sent). ' +
      "A restore brings back the version's editor, blocks and HTML together.",
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(UpdateTemplateSchema) },
    responses: { 200: jsonResponse(TemplateSchema, "Updated"), ...errors(400, 401, 403, 404, 422) },
  }),
  async (c) => {
    const row = await updateTemplate(c.var.ctx, c.req.valid("param").id, c.req.valid("json"));
    return c.json(toJson(row), 200);
  },
);

templatesApi.openapi(
  createRoute({
    method: "delete",
    path: "/templates/{id}",
    operationId: "deleteTemplate",
    tags,
    summary:
      "Delete a template (409 while an unfinished campaign uses it); its versions stay for sent campaigns",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    await deleteTemplate(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

templatesApi.openapi(
  createRoute({
    method: "get",
    path: "/templates/{id}/versions",
    operationId: "listTemplateVersions",
    tags,
    summary: "The template's versions, newest first",
    ...authed("analyst"),
    request: { params: IdParamSchema, query: PageQuerySchema },
    responses: {
      200: jsonResponse(pageOf(TemplateVersionSchema, "TemplateVersionPage"), "Versions"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const page = await listTemplateVersions(c.var.db, c.req.valid("param").id, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

templatesApi.openapi(
  createRoute({
    method: "get",
    path: "/templates/{id}/versions/{version}",
    operationId: "getTemplateVersion",
    tags,
    summary: "One stored version",
    ...authed("analyst"),
    request: { params: VersionParams },
    responses: { 200: jsonResponse(TemplateVersionSchema, "The version"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const { id, version } = c.req.valid("param");
    return c.json(toJson(await getTemplateVersion(c.var.db, id, version)), 200);
  },
);

templatesApi.openapi(
  createRoute({
    method: "post",
    path: "/templates/{id}/preview",
    operationId: "previewTemplate",
    tags,
    summary: "Render as a subscriber (or with sample data) would get it: {subject, html, text}",
    description:
      "Links that act for the subscriber (unsubscribe, preferences, view in browser) are inert placeholders. " +
      "A render that fails or hits the render limits is a 422 naming the template.",
    ...authed("analyst"),
    request: { params: IdParamSchema, body: jsonBody(PreviewTemplateSchema) },
    responses: {
      200: jsonResponse(RenderedSchema, "The rendered message"),
      ...errors(400, 401, 403, 404, 422),
    },
  }),
  async (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json(
      await previewTemplate(c.var.db, c.env, c.req.valid("param").id, c.req.valid("json"), origin),
      200,
    );
  },
);

templatesApi.openapi(
  createRoute({
    method: "post",
    path: "/templates/{id}/test",
    operationId: "sendTemplateTest",
    tags,
    summary:
      "Send a test of the template (or of unsaved content) to up to 10 addresses, from the default sender",
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(TemplateTestSchema) },
    responses: {
      200: jsonResponse(TestResultsSchema, "One result per address"),
      ...errors(400, 401, 403, 404, 422),
    },
  }),
  async (c) => {
    const results = await sendTemplateTest(
      { ...c.var.ctx, env: c.env },
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    return c.json({ results }, 200);
  },
);

templatesApi.openapi(
  createRoute({
    method: "post",
    path: "/templates/preview",
    operationId: "previewTemplateDraft",
    tags,
    summary: "Render unsaved content (a template not created yet) as a subscriber or with sample data",
    description: "As the preview of a saved template: placeholder links, a 422 when the render fails.",
    ...authed("analyst"),
    request: { body: jsonBody(PreviewTemplateSchema) },
    responses: {
      200: jsonResponse(RenderedSchema, "The rendered message"),
      ...errors(400, 401, 403, 404, 422),
    },
  }),
  async (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json(await previewTemplate(c.var.db, c.env, null, c.req.valid("json"), origin), 200);
  },
);

import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { IdParamSchema, PageQuerySchema, pageOf } from "../../contract/common";
import {
  CreateSegmentSchema,
  SegmentPreviewQuerySchema,
  SegmentPreviewRequestSchema,
  SegmentPreviewSchema,
  SegmentSchema,
  UpdateSegmentSchema,
} from "../../contract/segments";
import { segmentPreview } from "../../domain/audience/segments/compiler";
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  previewSegment,
  updateSegment,
} from "../../domain/audience/segments/segments";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const segmentsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Segments"];

const previewJson = (p: Awaited<ReturnType<typeof segmentPreview>>) => ({
  count: p.count,
  sample: p.sample.map(toJson),
});

segmentsApi.openapi(
  createRoute({
    method: "get",
    path: "/segments",
    operationId: "listSegments",
    tags,
    summary: "List saved segments",
    ...authed("analyst"),
    request: { query: PageQuerySchema },
    responses: {
      200: jsonResponse(pageOf(SegmentSchema, "SegmentPage"), "Segments"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listSegments(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

segmentsApi.openapi(
  createRoute({
    method: "post",
    path: "/segments",
    operationId: "createSegment",
    tags,
    summary: "Create a segment (a 400 names each invalid rule node)",
    ...authed("editor"),
    request: { body: jsonBody(CreateSegmentSchema) },
    responses: { 201: jsonResponse(SegmentSchema, "Created"), ...errors(400, 401, 403) },
  }),
  async (c) => c.json(toJson(await createSegment(c.var.ctx, c.req.valid("json"))), 201),
);

segmentsApi.openapi(
  createRoute({
    method: "post",
    path: "/segments/preview",
    operationId: "previewSegmentRules",
    tags,
    summary: "Count and sample the subscribers a rule tree matches, without saving it",
    ...authed("analyst"),
    request: { body: jsonBody(SegmentPreviewRequestSchema) },
    responses: { 200: jsonResponse(SegmentPreviewSchema, "Preview"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const { rules, sampleSize } = c.req.valid("json");
    return c.json(previewJson(await segmentPreview(c.var.db, rules, sampleSize)), 200);
  },
);

segmentsApi.openapi(
  createRoute({
    method: "get",
    path: "/segments/{id}",
    operationId: "getSegment",
    tags,
    summary: "Get a segment",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(SegmentSchema, "The segment"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(toJson(await getSegment(c.var.db, c.req.valid("param").id)), 200),
);

segmentsApi.openapi(
  createRoute({
    method: "get",
    path: "/segments/{id}/preview",
    operationId: "previewSegment",
    tags,
    summary: "Count and sample the subscribers a saved segment matches now",
    ...authed("analyst"),
    request: { params: IdParamSchema, query: SegmentPreviewQuerySchema },
    responses: { 200: jsonResponse(SegmentPreviewSchema, "Preview"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const preview = await previewSegment(c.var.db, c.req.valid("param").id, c.req.valid("query").sampleSize);
    return c.json(previewJson(preview), 200);
  },
);

segmentsApi.openapi(
  createRoute({
    method: "patch",
    path: "/segments/{id}",
    operationId: "updateSegment",
    tags,
    summary: "Rename a segment or replace its rules",
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(UpdateSegmentSchema) },
    responses: { 200: jsonResponse(SegmentSchema, "Updated"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const deps = c.var.ctx;
    return c.json(toJson(await updateSegment(deps, c.req.valid("param").id, c.req.valid("json"))), 200);
  },
);

segmentsApi.openapi(
  createRoute({
    method: "delete",
    path: "/segments/{id}",
    operationId: "deleteSegment",
    tags,
    summary: "Delete a segment (campaigns that used it keep their audience)",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await deleteSegment(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

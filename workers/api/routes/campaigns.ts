import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  CampaignQuerySchema,
  CampaignSchema,
  CampaignStatsSchema,
  ChunkSchema,
  ChunksQuerySchema,
  CreateCampaignSchema,
  RetrySchema,
  ScheduleSchema,
  SendSchema,
  SendsQuerySchema,
  TestSendResultSchema,
  TestSendSchema,
  UpdateCampaignSchema,
} from "../../contract/campaigns";
import { IdParamSchema, pageOf } from "../../contract/common";
import { countAudience } from "../../domain/campaigns/audience";
import {
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  updateCampaign,
} from "../../domain/campaigns/campaigns";
import {
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  retryFailedSends,
  scheduleCampaign,
  startCampaign,
  unscheduleCampaign,
} from "../../domain/campaigns/lifecycle";
import { campaignStats, listChunks, listSends } from "../../domain/campaigns/stats";
import { sendCampaignTest } from "../../domain/campaigns/test-send";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const campaignsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Campaigns"];

type View = Awaited<ReturnType<typeof getCampaign>>;
const view = (c: View) => ({ ...toJson(c), variants: c.variants.map((v) => ({ ...v })) });
const _deps = (c: { var: HonoEnv["Variables"] }) => c.var.ctx;

campaignsApi.openapi(
  createRoute({
    method: "get",
    path: "/campaigns",
    operationId: "listCampaigns",
    tags,
    summary: "List campaigns with status and progress counters",
    ...authed("analyst"),
    request: { query: CampaignQuerySchema },
    responses: {
      200: jsonResponse(pageOf(CampaignSchema, "CampaignPage"), "Campaigns"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listCampaigns(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(view) }, 200);
  },
);

campaignsApi.openapi(
  createRoute({
    method: "post",
    path: "/campaigns",
    operationId: "createCampaign",
    tags,
    summary: "Create a draft campaign",
    ...authed("editor"),
    request: { body: jsonBody(CreateCampaignSchema) },
    responses: { 201: jsonResponse(CampaignSchema, "Created"), ...errors(400, 401, 403) },
  }),
  async (c) => c.json(view(await createCampaign(c.var.ctx, c.req.valid("json"))), 201),
);

campaignsApi.openapi(
  createRoute({
    method: "get",
    path: "/campaigns/{id}",
    operationId: "getCampaign",
    tags,
    summary: "A campaign",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(CampaignSchema, "The campaign"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(view(await getCampaign(c.var.db, c.req.valid("param").id)), 200),
);

campaignsApi.openapi(
  createRoute({
    method: "patch",
    path: "/campaigns/{id}",
    operationId: "updateCampaign",
    tags,
    summary: "Edit a draft (afterwards only the name may change: 409)",
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(UpdateCampaignSchema) },
    responses: { 200: jsonResponse(CampaignSchema, "Updated"), ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) =>
    c.json(view(await updateCampaign(c.var.ctx, c.req.valid("param").id, c.req.valid("json"))), 200),
);

campaignsApi.openapi(
  createRoute({
    method: "delete",
    path: "/campaigns/{id}",
    operationId: "deleteCampaign",
    tags,
    summary:
      "Delete a campaign that never sent; one that did is archived with its send log (409 while sending: cancel first)",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted, or archived" }, ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    await deleteCampaign(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

campaignsApi.openapi(
  createRoute({
    method: "get",
    path: "/campaigns/{id}/audience",
    operationId: "getCampaignAudience",
    tags,
    summary: "How many would receive it if sent now (after suppressions, unsubscribes and duplicates)",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: {
      200: jsonResponse(
        z.object({ count: z.number().int() }).openapi("AudienceCount", { example: { count: 1200 } }),
        "Count",
      ),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const campaign = await getCampaign(c.var.db, c.req.valid("param").id);
    const count = campaign.frozenAt
      ? (campaign.audienceSize ?? 0)
      : await countAudience(c.var.db, { listIds: campaign.listIds, segmentId: campaign.segmentId });
    return c.json({ count }, 200);
  },
);

type ActionContext = Parameters<Parameters<typeof campaignsApi.openapi>[1]>[0];
const actionRoute = <B extends object = object>(path: string, summary: string, request?: B) =>
  createRoute({
    method: "post",
    path: `/campaigns/{id}/${path}`,
    operationId: `${path}Campaign`,
    tags,
    summary,
    ...authed("editor"),
    request: { params: IdParamSchema, ...(request ?? ({} as B)) },
    responses: {
      200: jsonResponse(CampaignSchema, "The campaign"),
      ...errors(400, 401, 403, 404, 409, 422),
    },
  });

/** A state change without a body: POST /campaigns/{id}/<path> -> the campaign. */
const action = (path: string, summary: string, run: (c: ActionContext, id: string) => Promise<View>) =>
  campaignsApi.openapi(actionRoute(path, summary), async (c) =>
    c.json(view(await run(c, c.req.valid("param").id)), 200),
  );

campaignsApi.openapi(
  actionRoute(
    "schedule",
    "Schedule for `sendAt` (a time with its offset; `timezone` is kept for display); `localTime`: at that wall-clock time in each subscriber's own time zone",
    {
      body: jsonBody(ScheduleSchema),
    },
  ),
  async (c) =>
    c.json(view(await scheduleCampaign(c.var.ctx, c.req.valid("param").id, c.req.valid("json"))), 200),
);
action("unschedule", "Back to draft", (c, id) => unscheduleCampaign(c.var.ctx, id));
action("send", "Send now: the audience is frozen and the first chunks are queued at once", (c, id) =>
  startCampaign(c.var.ctx, id),
);
action("pause", "Pause: no new recipients are claimed; nothing in flight is lost", (c, id) =>
  pauseCampaign(c.var.ctx, id),
);
action("resume", "Resume where it stopped", (c, id) => resumeCampaign(c.var.ctx, id));
action("cancel", "Cancel: nothing more is sent; recipients not reached are marked skipped", (c, id) =>
  cancelCampaign(c.var.ctx, id),
);
campaignsApi.openapi(
  actionRoute("retry", "Send again the sends that failed for good (all, or `sendIds`) and every dead chunk", {
    body: { ...jsonBody(RetrySchema), required: false },
  }),
  async (c) => {
    const body = c.req.valid("json") ?? {};
    const campaign = await retryFailedSends(c.var.ctx, c.req.valid("param").id, body.sendIds?.map(Number));
    return c.json(view(campaign), 200);
  },
);

campaignsApi.openapi(
  createRoute({
    method: "post",
    path: "/campaigns/{id}/test",
    operationId: "sendCampaignTest",
    tags,
    summary: "Send a test to up to 10 addresses (subject prefixed [Test]; no tracking, no stats)",
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(TestSendSchema) },
    responses: {
      200: jsonResponse(TestSendResultSchema, "One result per address"),
      ...errors(400, 401, 403, 404, 409, 422),
    },
  }),
  async (c) => {
    const results = await sendCampaignTest(
      { ...c.var.ctx, env: c.env },
      c.req.valid("param").id,
      c.req.valid("json").emails,
      c.req.valid("json").variantId,
    );
    return c.json({ results }, 200);
  },
);

campaignsApi.openapi(
  createRoute({
    method: "get",
    path: "/campaigns/{id}/stats",
    operationId: "getCampaignStats",
    tags,
    summary:
      "Audience, progress and engagement (human opens and clicks; machine opens apart), per variant for A/B",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(CampaignStatsSchema, "Stats"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(await campaignStats(c.var.db, c.req.valid("param").id), 200),
);

campaignsApi.openapi(
  createRoute({
    method: "get",
    path: "/campaigns/{id}/sends",
    operationId: "listCampaignSends",
    tags,
    summary: "The per-recipient send log: status, attempts, last reply, next retry",
    ...authed("analyst"),
    request: { params: IdParamSchema, query: SendsQuerySchema },
    responses: { 200: jsonResponse(pageOf(SendSchema, "SendPage"), "Sends"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const page = await listSends(c.var.db, c.req.valid("param").id, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map((s) => ({ ...toJson(s), id: String(s.id) })) }, 200);
  },
);

campaignsApi.openapi(
  createRoute({
    method: "get",
    path: "/campaigns/{id}/chunks",
    operationId: "listCampaignChunks",
    tags,
    summary: "The campaign's chunks of recipients: queued, done, or dead (retries exhausted, with the error)",
    ...authed("analyst"),
    request: { params: IdParamSchema, query: ChunksQuerySchema },
    responses: {
      200: jsonResponse(pageOf(ChunkSchema, "ChunkPage"), "Chunks"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const page = await listChunks(c.var.db, c.req.valid("param").id, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map((k) => toJson(k)) }, 200);
  },
);

campaignsApi.openapi(
  createRoute({
    method: "post",
    path: "/campaigns/audience-count",
    operationId: "countAudience",
    tags,
    summary: "How many lists and/or a segment would reach now (the builder's live count, before saving)",
    ...authed("analyst"),
    request: {
      body: jsonBody(
        z
          .object({
            listIds: z.array(z.string().uuid()).max(100).default([]),
            segmentId: z.string().uuid().nullable().optional(),
          })
          .strict()
          .openapi("AudienceSpec", {
            example: {
              listIds: ["0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091"],
              segmentId: "0193b5a1-3d4e-7f50-8162-738495a6b7c8",
            },
          }),
      ),
    },
    responses: {
      200: jsonResponse(z.object({ count: z.number().int() }).openapi({ example: { count: 1200 } }), "Count"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    return c.json(
      { count: await countAudience(c.var.db, { listIds: body.listIds, segmentId: body.segmentId ?? null }) },
      200,
    );
  },
);

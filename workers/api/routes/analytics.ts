import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { IdParamSchema } from "../../contract/common";
import {
  campaignBounceReasons,
  campaignDomains,
  campaignLinks,
  overview,
} from "../../domain/analytics/report";
import { campaignTimeline, TIMELINE_BUCKETS } from "../../domain/analytics/timeline";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonResponse } from "../../http/route";
import { AppError } from "../../lib/errors";

export const analyticsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Analytics"];
const n = z.number().int();

const RangeQuery = z.object({
  from: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Start (inclusive); default 30 days ago" }),
  to: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "End (exclusive); default now" }),
});

const OverviewSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    campaigns: n,
    sent: n,
    delivered: n,
    failed: n,
    opens: n,
    uniqueOpens: n,
    machineOpens: n,
    clicks: n,
    uniqueClicks: n,
    bounces: n,
    complaints: n,
    unsubscribes: n,
    openRate: z.number(),
    clickRate: z.number(),
    clickToOpenRate: z.number(),
    bounceRate: z.number(),
    complaintRate: z.number(),
    unsubscribeRate: z.number(),
    newSubscribers: n,
    activeSubscribers: n,
    series: z.array(
      z.object({
        day: z.string(),
        sent: n,
        opens: n,
        uniqueOpens: n,
        clicks: n,
        uniqueClicks: n,
        bounces: n,
        unsubscribes: n,
      }),
    ),
  })
  .openapi("AnalyticsOverview", {
    example: {
      from: "2026-03-02T09:30:00.000Z",
      to: "ada@example.com",
      campaigns: 4,
      sent: 1200,
      delivered: 1188,
      failed: 0,
      opens: 640,
      uniqueOpens: 512,
      machineOpens: 90,
      clicks: 180,
      uniqueClicks: 150,
      bounces: 12,
      complaints: 1,
      unsubscribes: 4,
      openRate: 0.431,
      clickRate: 0.126,
      clickToOpenRate: 0.293,
      bounceRate: 0.01,
      complaintRate: 0.001,
      unsubscribeRate: 0.003,
      newSubscribers: 85,
      activeSubscribers: 4210,
      series: [
        {
          day: "2026-03-02",
          sent: 1200,
          opens: 640,
          uniqueOpens: 512,
          clicks: 180,
          uniqueClicks: 150,
          bounces: 12,
          unsubscribes: 4,
        },
      ],
    },
  });

const TimelineSchema = z
  .object({
    bucket: z
      .enum(TIMELINE_BUCKETS)
      .openapi({ description: "The bucket of every point: minute, 5min, hour or day" }),
    data: z.array(
      z.object({
        hour: z
          .string()
          .openapi({ description: "Start of the bucket (UTC); an hour unless `bucket` says otherwise" }),
        sent: n,
        opens: n,
        uniqueOpens: n,
        machineOpens: n,
        clicks: n,
        uniqueClicks: n,
        bounces: n,
        complaints: n,
        unsubscribes: n,
      }),
    ),
  })
  .openapi("CampaignTimeline", {
    example: {
      bucket: "minute",
      data: [
        {
          hour: "2026-03-02T09:00:00.000Z",
          sent: 1200,
          opens: 640,
          uniqueOpens: 512,
          machineOpens: 90,
          clicks: 180,
          uniqueClicks: 150,
          bounces: 12,
          complaints: 1,
          unsubscribes: 4,
        },
      ],
    },
  });

const TimelineQuery = z.object({
  variantId: z.string().uuid().optional(),
  bucket: z
    .enum(["auto", ...TIMELINE_BUCKETS])
    .default("hour")
    .openapi({
      description:
        "hour (default), day, minute or 5min, or auto: chosen from the campaign's span (minutes for a recent short send). " +
        "Minutes are read from raw events: when those are purged or too many, the answer is hourly and its `bucket` says so.",
    }),
});

const LinksSchema = z
  .object({ data: z.array(z.object({ url: z.string(), clicks: n, uniqueClicks: n, share: z.number() })) })
  .openapi("CampaignLinks", {
    example: {
      data: [
        {
          url: "https://mail.example.com/media/0193b5a1-logo.png",
          clicks: 180,
          uniqueClicks: 150,
          share: 0.6,
        },
      ],
    },
  });

const DomainsSchema = z
  .object({
    data: z.array(
      z.object({
        domain: z.string(),
        sent: n,
        bounces: n,
        complaints: n,
        unsubscribes: n,
        uniqueOpens: n,
        uniqueClicks: n,
        openRate: z.number(),
        clickRate: z.number(),
        bounceRate: z.number(),
      }),
    ),
  })
  .openapi("CampaignDomains", {
    example: {
      data: [
        {
          domain: "mail.example.com",
          sent: 1200,
          bounces: 12,
          complaints: 1,
          unsubscribes: 4,
          uniqueOpens: 512,
          uniqueClicks: 150,
          openRate: 0.431,
          clickRate: 0.126,
          bounceRate: 0.01,
        },
      ],
    },
  });

const BouncesSchema = z
  .object({ data: z.array(z.object({ reason: z.string(), hard: z.boolean(), bounces: n })) })
  .openapi("CampaignBounceReasons", {
    example: { data: [{ reason: "mailbox full", hard: false, bounces: 12 }] },
  });

analyticsApi.openapi(
  createRoute({
    method: "get",
    path: "/analytics/overview",
    operationId: "getAnalyticsOverview",
    tags,
    summary: "KPIs for a time range (human opens and clicks; machine opens apart) with a daily series",
    ...authed("analyst"),
    request: { query: RangeQuery },
    responses: { 200: jsonResponse(OverviewSchema, "Overview"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
    if (from >= to) throw new AppError("validation_failed", "`from` must be before `to`");
    if (to.getTime() - from.getTime() > 3 * 366 * 86_400_000)
      throw new AppError("validation_failed", "The range is at most three years");
    return c.json(await overview(c.var.db, { from, to }), 200);
  },
);

analyticsApi.openapi(
  createRoute({
    method: "get",
    path: "/analytics/campaigns/{id}/timeline",
    operationId: "getCampaignTimeline",
    tags,
    summary: "Opens, clicks, deliveries and bounces per hour (or per minute, 5 minutes or day: `bucket`)",
    ...authed("analyst"),
    request: { params: IdParamSchema, query: TimelineQuery },
    responses: { 200: jsonResponse(TimelineSchema, "Per bucket"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(await campaignTimeline(c.var.db, c.req.valid("param").id, c.req.valid("query")), 200),
);

analyticsApi.openapi(
  createRoute({
    method: "get",
    path: "/analytics/campaigns/{id}/links",
    operationId: "getCampaignLinks",
    tags,
    summary: "Human clicks per link",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(LinksSchema, "Per link"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json({ data: await campaignLinks(c.var.db, c.req.valid("param").id) }, 200),
);

analyticsApi.openapi(
  createRoute({
    method: "get",
    path: "/analytics/campaigns/{id}/domains",
    operationId: "getCampaignDomains",
    tags,
    summary: "Breakdown by recipient domain (gmail.com, outlook.com…)",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(DomainsSchema, "Per domain"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json({ data: await campaignDomains(c.var.db, c.req.valid("param").id) }, 200),
);

analyticsApi.openapi(
  createRoute({
    method: "get",
    path: "/analytics/campaigns/{id}/bounces",
    operationId: "getCampaignBounces",
    tags,
    summary: "Bounces by reason (user unknown, mailbox full, blocked…) and hard or soft",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(BouncesSchema, "Per reason"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json({ data: await campaignBounceReasons(c.var.db, c.req.valid("param").id) }, 200),
);

/**
 * The typed client for campaigns and the few look-ups their pages need (templates and their
 * preview, lists, segments, relays, the sender defaults). Types come from the API's zod schemas.
 */
import type { z } from "@hono/zod-openapi";
import type { ListSchema } from "../../../workers/contract/audience";
import type {
  CampaignQuerySchema,
  CampaignSchema,
  CampaignStatsSchema,
  ChunkSchema,
  CreateCampaign,
  SendSchema,
  SendsQuerySchema,
  TestSendResultSchema,
  UpdateCampaign,
} from "../../../workers/contract/campaigns";
import type { RenderedSchema, TemplateSummarySchema } from "../../../workers/contract/content";
import type { SegmentSchema } from "../../../workers/contract/segments";
import type { RelaySchema } from "../../../workers/contract/sending";
import type { SettingsSchema } from "../../../workers/contract/settings";

import { call, type Page, type PageParams } from "./client";
import type { Query } from "./http";

export { fetchAll } from "./audience";

export type Campaign = z.infer<typeof CampaignSchema>;
export type CampaignStatus = Campaign["status"];
export type Variant = Campaign["variants"][number];
export type AbTest = NonNullable<Campaign["abTest"]>;
export type CampaignStats = z.infer<typeof CampaignStatsSchema>;
export type VariantStats = NonNullable<CampaignStats["variants"]>[number];
export type ZoneProgress = NonNullable<CampaignStats["zones"]>[number];
export type Send = z.infer<typeof SendSchema>;
export type SendStatus = Send["status"];
export type Chunk = z.infer<typeof ChunkSchema>;
export type TestResult = z.infer<typeof TestSendResultSchema>["results"][number];
export type CampaignFilters = Omit<z.input<typeof CampaignQuerySchema>, "limit" | "cursor">;
export type SendFilters = Omit<z.input<typeof SendsQuerySchema>, "limit" | "cursor">;
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;
export type Rendered = z.infer<typeof RenderedSchema>;
export type CampaignList = z.infer<typeof ListSchema>;
export type SegmentOption = Pick<z.infer<typeof SegmentSchema>, "id" | "name">;
export type Relay = z.infer<typeof RelaySchema>;
export type Settings = z.infer<typeof SettingsSchema>;
export type { CreateCampaign, UpdateCampaign };

export interface AudienceSpec {
  listIds: string[];
  segmentId?: string | null;
}

export const CAMPAIGN_STATUSES = [
  "draft",
  "scheduled",
  "testing",
  "sending",
  "paused",
  "sent",
  "cancelled",
  "failed",
] as const satisfies readonly CampaignStatus[];

export const SEND_STATUSES = [
  "queued",
  "sending",
  "sent",
  "failed",
  "bounced",
  "skipped",
] as const satisfies readonly SendStatus[];

const path = (id: string, rest = "") => `/campaigns/${encodeURIComponent(id)}${rest}`;
const act = (action: string) => (id: string) => call<Campaign>("POST", path(id, `/${action}`), { body: {} });

/** The typed campaigns API. */
export const campaignsApi = {
  list: (filters: CampaignFilters, page: PageParams) =>
    call<Page<Campaign>>("GET", "/campaigns", { query: { ...filters, ...page } satisfies Query }),
  get: (id: string) => call<Campaign>("GET", path(id)),
  create: (body: CreateCampaign) => call<Campaign>("POST", "/campaigns", { body }),
  update: (id: string, body: UpdateCampaign) => call<Campaign>("PATCH", path(id), { body }),
  remove: (id: string) => call<void>("DELETE", path(id)),
  /** How many the lists and/or segment reach now, before anything is saved. */
  countAudience: (spec: AudienceSpec) =>
    call<{ count: number }>("POST", "/campaigns/audience-count", { body: spec }),
  /** How many the saved campaign would reach if sent now (its frozen size once sending). */
  audience: (id: string) => call<{ count: number }>("GET", path(id, "/audience")),
  schedule: (id: string, body: { sendAt: string; timezone?: string; localTime?: boolean }) =>
    call<Campaign>("POST", path(id, "/schedule"), { body }),
  unschedule: act("unschedule"),
  send: act("send"),
  pause: act("pause"),
  resume: act("resume"),
  cancel: act("cancel"),
  /** Sends again every failed send and dead chunk. */
  retry: act("retry"),
  test: (id: string, emails: string[], variantId?: string) =>
    call<{ results: TestResult[] }>("POST", path(id, "/test"), { body: { emails, variantId } }),
  stats: (id: string) => call<CampaignStats>("GET", path(id, "/stats")),
  sends: (id: string, filters: SendFilters, page: PageParams) =>
    call<Page<Send>>("GET", path(id, "/sends"), { query: { ...filters, ...page } satisfies Query }),
  chunks: (id: string, page: PageParams) =>
    call<Page<Chunk>>("GET", path(id, "/chunks"), { query: { ...page } }),
};

/** What the builder needs besides the campaign (kept here so it does not wait for other clients). */
export const campaignLookups = {
  templates: (page: PageParams) =>
    call<Page<TemplateSummary>>("GET", "/templates", { query: { kind: "campaign", ...page } }),
  preview: (templateId: string) =>
    call<Rendered>("POST", `/templates/${encodeURIComponent(templateId)}/preview`, { body: {} }),
  lists: (page: PageParams) => call<Page<CampaignList>>("GET", "/lists", { query: { ...page } }),
  /** Archived lists are not offered, only shown where a draft still names one (so it can be unticked). */
  archivedLists: (page: PageParams) =>
    call<Page<CampaignList>>("GET", "/lists", { query: { ...page, archived: "true" } satisfies Query }),
  segments: (page: PageParams) => call<Page<SegmentOption>>("GET", "/segments", { query: { ...page } }),
  relays: (page: PageParams) => call<Page<Relay>>("GET", "/relays", { query: { ...page } }),
  settings: () => call<Settings>("GET", "/settings"),
};

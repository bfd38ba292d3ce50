/**
 * The typed client for the analytics pages: the overview, the campaign report (timeline, links,
 * recipient domains, bounce reasons) and the few campaign calls the report needs. Campaign types
 * come from the API's zod schemas; the report's are declared below to match its routes.
 */
import type { z } from "@hono/zod-openapi";
import type { CampaignSchema, CampaignStatsSchema } from "../../../workers/contract/campaigns";
import { call, type Page, type PageParams } from "./client";

/**
 * The analytics responses, declared to match the zod schemas of workers/api/routes/analytics.ts
 * (not exported) and the report functions of workers/domain/analytics/report.ts. Importing those
 * functions' types would pull the Worker's runtime types (Queue, sockets) into the dashboard.
 */
export interface Overview {
  from: string;
  to: string;
  campaigns: number;
  sent: number;
  delivered: number;
  failed: number;
  opens: number;
  uniqueOpens: number;
  machineOpens: number;
  clicks: number;
  uniqueClicks: number;
  bounces: number;
  complaints: number;
  unsubscribes: number;
  /** Fractions: 0.25 is 25%. */
  openRate: number;
  clickRate: number;
  clickToOpenRate: number;
  bounceRate: number;
  complaintRate: number;
  unsubscribeRate: number;
  newSubscribers: number;
  activeSubscribers: number;
  series: DayPoint[];
}

/** One UTC day (`YYYY-MM-DD`) of the overview; days without events are left out. */
export interface DayPoint {
  day: string;
  sent: number;
  opens: number;
  uniqueOpens: number;
  clicks: number;
  uniqueClicks: number;
  bounces: number;
  unsubscribes: number;
}

/** The width of a timeline's points: the server picks it from the campaign's span on `auto`. */
export type TimelineBucket = "minute" | "5min" | "hour" | "day";

/** A campaign's timeline: one point per bucket with figures (buckets without any are left out). */
export interface TimelineData {
  bucket: TimelineBucket;
  data: HourPoint[];
}

/** One bucket of a campaign's timeline; `hour` is its start (ISO), on the hour unless the bucket is finer. */
export interface HourPoint {
  hour: string;
  sent: number;
  opens: number;
  uniqueOpens: number;
  machineOpens: number;
  clicks: number;
  uniqueClicks: number;
  bounces: number;
  complaints: number;
  unsubscribes: number;
}

export interface LinkRow {
  url: string;
  clicks: number;
  uniqueClicks: number;
  /** This link's clicks of all the campaign's clicks, a fraction. */
  share: number;
}

export interface DomainRow {
  domain: string;
  sent: number;
  bounces: number;
  complaints: number;
  unsubscribes: number;
  uniqueOpens: number;
  uniqueClicks: number;
  openRate: number;
  clickRate: number;
  bounceRate: number;
}

export interface BounceRow {
  /** The classifier's reason: `userunknown`, `mailboxfull`, … */
  reason: string;
  hard: boolean;
  bounces: number;
}

export type ReportCampaign = z.infer<typeof CampaignSchema>;
export type ReportStatus = ReportCampaign["status"];
export type ReportStats = z.infer<typeof CampaignStatsSchema>;
export type ReportVariant = NonNullable<ReportStats["variants"]>[number];

/** An ISO range with offsets; both ends optional (the server defaults to the last 30 days). */
export interface Range {
  from?: string;
  to?: string;
}

/** A campaign with its engagement figures, for tables; `stats` is null where none could be read. */
export interface CampaignWithStats {
  campaign: ReportCampaign;
  stats: ReportStats | null;
}

const at = (id: string, rest = "") => `/campaigns/${encodeURIComponent(id)}${rest}`;
const report = (id: string, what: string) => `/analytics${at(id, `/${what}`)}`;

/** The typed analytics API (and the campaign reads the report is built from). */
export const analytics = {
  overview: (range: Range) => call<Overview>("GET", "/analytics/overview", { query: { ...range } }),
  timeline: (id: string, variantId?: string, bucket: TimelineBucket | "auto" = "auto") =>
    call<TimelineData>("GET", report(id, "timeline"), { query: { variantId, bucket } }),
  links: (id: string) => call<{ data: LinkRow[] }>("GET", report(id, "links")),
  domains: (id: string) => call<{ data: DomainRow[] }>("GET", report(id, "domains")),
  bounces: (id: string) => call<{ data: BounceRow[] }>("GET", report(id, "bounces")),
  campaign: (id: string) => call<ReportCampaign>("GET", at(id)),
  stats: (id: string) => call<ReportStats>("GET", at(id, "/stats")),
  /** Newest first by when sending started (the campaigns never started by creation). */
  campaigns: (status: ReportStatus | undefined, page: PageParams) =>
    call<Page<ReportCampaign>>("GET", "/campaigns", { query: { status, sort: "started", ...page } }),
};

/** One page of campaigns, each with its stats (drafts have none to read). */
export async function campaignsWithStats(
  status: ReportStatus | undefined,
  page: PageParams,
): Promise<Page<CampaignWithStats>> {
  const campaigns = await analytics.campaigns(status, page);
  return { ...campaigns, data: await Promise.all(campaigns.data.map(withStats)) };
}

/** The latest `count` campaigns that are sending or sent (newest sending first), with their stats. */
export async function recentCampaigns(count = 5): Promise<CampaignWithStats[]> {
  const page = await call<Page<ReportCampaign>>("GET", "/campaigns", {
    query: { status: "sending,sent", sort: "started", limit: count },
  });
  return Promise.all(page.data.map(withStats));
}

async function withStats(campaign: ReportCampaign): Promise<CampaignWithStats> {
  if (campaign.status === "draft") return { campaign, stats: null };
  // One unreadable row should not hide the others: it shows without figures.
  const stats = await analytics.stats(campaign.id).catch(() => null);
  return { campaign, stats };
}

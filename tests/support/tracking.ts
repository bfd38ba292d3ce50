import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { campaigns, campaignVariants } from "../../schema/campaigns";
import { campaignRollupsHourly, events, linkRollups } from "../../schema/events";
import { sends } from "../../schema/sends";
import { subscribers } from "../../schema/subscribers";
import { templates } from "../../schema/templates";
import type { EventRecord } from "../../workers/domain/tracking/event-record";
import { type Database, type DbConnection, openDb } from "../../workers/lib/db";
import { stack } from "./api";

/**
 * The tracking suites' shared data on the shared stack's database: campaigns of their own with
 * sends as if mailed, the tracking endpoints called like a mail client, and reads of the events,
 * rollups and ledger rows those leave. Each suite calls `useTrackingData()` once at its top.
 */

/** This run's mark on every name and dedupe key, so that runs never meet. */
export const tag = Math.random().toString(36).slice(2, 8);
export const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
export const GMAIL_PROXY =
  "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";
export const HOUR = 3_600_000;

let conn: DbConnection | undefined;
let templateId: string | undefined;
export const secret = () => stack().secrets.TRACKING_SECRET as string;

/** Opens the suite's connection and template before its tests, and closes it after. */
export function useTrackingData(): void {
  beforeAll(async () => {
    conn = openDb(stack().databaseUrl);
    const [t] = await conn.db
      .insert(templates)
      .values({ name: `tracking ${tag}` })
      .returning({ id: templates.id });
    if (!t) throw new Error("no template");
    templateId = t.id;
  });
  afterAll(async () => {
    await conn?.close();
  });
}

/** The suite's database handle (inside its tests). */
export function db(): Database {
  if (!conn) throw new Error("call useTrackingData() at the top of the suite");
  return conn.db;
}

export interface Fixture {
  campaignId: string;
  variantIds: string[];
  /** One send per entry of `sentAgoMs` (null: not sent yet), each to its own subscriber. */
  sends: { id: number; subscriberId: string; variantId: string | null }[];
}

/** A campaign of this suite's own, with `variants` variants and one send per `sentAgoMs` entry. */
export async function fixture(name: string, sentAgoMs: (number | null)[], variants = 0): Promise<Fixture> {
  const [campaign] = await db()
    .insert(campaigns)
    .values({
      name: `tracking ${name} ${tag}`,
      templateId: templateId ?? "",
      fromName: "T",
      fromEmail: "t@track.example.com",
    })
    .returning({ id: campaigns.id });
  if (!campaign) throw new Error("no campaign");
  const variantIds: string[] = [];
  for (let i = 0; i < variants; i++) {
    const [v] = await db()
      .insert(campaignVariants)
      .values({ campaignId: campaign.id, name: `v${i}`, position: i })
      .returning({ id: campaignVariants.id });
    if (v) variantIds.push(v.id);
  }
  const out: Fixture["sends"] = [];
  for (const [i, ago] of sentAgoMs.entries()) {
    const email = `${name}-${i}-${tag}@track.example.com`;
    const [sub] = await db().insert(subscribers).values({ email }).returning({ id: subscribers.id });
    if (!sub) throw new Error("no subscriber");
    const variantId = variantIds.length ? (variantIds[i % variantIds.length] ?? null) : null;
    const [send] = await db()
      .insert(sends)
      .values({
        campaignId: campaign.id,
        variantId,
        subscriberId: sub.id,
        email,
        status: ago === null ? "queued" : "sent",
        sentAt: ago === null ? null : new Date(Date.now() - ago),
      })
      .returning({ id: sends.id });
    if (!send) throw new Error("no send");
    out.push({ id: send.id, subscriberId: sub.id, variantId });
  }
  return { campaignId: campaign.id, variantIds, sends: out };
}

export const idsOf = (f: Fixture, i: number) => {
  const s = f.sends[i];
  if (!s) throw new Error(`no send ${i}`);
  return { sendId: s.id, campaignId: f.campaignId, subscriberId: s.subscriberId, variantId: s.variantId };
};

/** A request to the shared stack's tracking path, from a browser unless `ua` says otherwise. */
export async function hit(
  path: string,
  opts: { method?: string; ua?: string; headers?: Record<string, string> } = {},
) {
  return fetch(`${stack().baseUrl}${path}`, {
    method: opts.method ?? "GET",
    headers: { "user-agent": opts.ua ?? CHROME, ...opts.headers },
    redirect: "manual",
  });
}

export const eventsOfSends = (ids: number[]) =>
  db().select().from(events).where(inArray(events.sendId, ids)).orderBy(events.id);

/** Polls until the sends have `count` events: the local queue delivers in batches every 2 s. */
export async function waitForEvents(ids: number[], count: number, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await eventsOfSends(ids);
    if (rows.length >= count) return rows;
    if (Date.now() > deadline)
      throw new Error(`expected ${count} events for sends ${ids}, have ${rows.length}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const rollupsOf = (campaignId: string) =>
  db()
    .select()
    .from(campaignRollupsHourly)
    .where(eq(campaignRollupsHourly.campaignId, campaignId))
    .orderBy(campaignRollupsHourly.hour, campaignRollupsHourly.variantKey);

export const linksOf = (campaignId: string) =>
  db().select().from(linkRollups).where(eq(linkRollups.campaignId, campaignId)).orderBy(linkRollups.url);

/** Campaign totals over all hours and variants. */
export async function totals(campaignId: string) {
  const rows = await rollupsOf(campaignId);
  const sum = (k: "opens" | "uniqueOpens" | "machineOpens" | "clicks" | "uniqueClicks" | "bounces") =>
    rows.reduce((n, r) => n + r[k], 0);
  return {
    opens: sum("opens"),
    uniqueOpens: sum("uniqueOpens"),
    machineOpens: sum("machineOpens"),
    clicks: sum("clicks"),
    uniqueClicks: sum("uniqueClicks"),
    bounces: sum("bounces"),
  };
}

export const sendRow = async (id: number) => (await db().select().from(sends).where(eq(sends.id, id)))[0];

/** Stored events as the records they were made from (same dedupe keys): a redelivery. */
export const asRecords = (rows: (typeof events.$inferSelect)[]): EventRecord[] =>
  rows.map((e) => ({
    kind: e.kind,
    dedupeKey: e.dedupeKey,
    occurredAt: e.occurredAt,
    sendId: e.sendId,
    campaignId: e.campaignId,
    variantId: e.variantId,
    subscriberId: e.subscriberId,
    url: e.url,
    machine: e.machine,
    client: e.client,
    userAgent: e.userAgent,
    ip: e.ip,
    data: e.data,
  }));

import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { events } from "../../../schema/events";
import { listMemberships } from "../../../schema/lists";
import { sends } from "../../../schema/sends";
import { subscribers } from "../../../schema/subscribers";
import type { Database } from "../../lib/db";
import { suppressEmail } from "../audience/suppressions/suppressions";
import { getSettingsOf } from "../settings";
import type { EventRecord } from "../tracking/event-record";
import { ingestEvents } from "../tracking/ingest";

/**
 * The bounce and complaint rules, in one place for every source (SMTP replies at send time,
 * DSNs and ARF reports from the email() handler, relay webhooks):
 * - a hard bounce suppresses the address at once and marks the subscriber `bounced`;
 * - soft bounces suppress once there are `softLimit` of them within `softWindowDays` (settings);
 * - a complaint suppresses, marks the subscriber `complained` and unsubscribes them everywhere.
 * Each bounce or complaint is stored once (its dedupe key), so a repeated notice changes nothing.
 */

export interface BounceInput {
  email: string;
  hard: boolean;
  /** RFC 3463 status such as 5.1.1. */
  status: string;
  reason: string;
  diagnostic?: string;
  source: "smtp" | "dsn" | "webhook";
  sendId?: number | null;
  campaignId?: string | null;
  variantId?: string | null;
  subscriberId?: string | null;
  occurredAt?: Date;
  /** Unique per bounce notice; default: one bounce per send (`bounce:<sendId>`). */
  dedupeKey?: string;
}

export interface ComplaintInput {
  email: string;
  feedbackType: string;
  source: "arf" | "webhook";
  sendId?: number | null;
  campaignId?: string | null;
  variantId?: string | null;
  subscriberId?: string | null;
  occurredAt?: Date;
  dedupeKey?: string;
}

/**
 * Whether a notice tied to our send (by its signed bounce address or Message-ID) may act on the
 * recipient it names: only when that is the send's own address, or when it names none. Every
 * recipient can read their own bounce address and Message-ID, so whatever else a notice lists is
 * someone else, and acting on it would let any recipient get anyone suppressed.
 */
export function concernsSend(sendEmail: string, named: string): boolean {
  return named === "" || named.toLowerCase() === sendEmail.toLowerCase();
}

const keyOf = (kind: string, b: { sendId?: number | null; email: string; dedupeKey?: string }) =>
  b.dedupeKey ?? (b.sendId ? `${kind}:${b.sendId}` : `${kind}:${b.email.toLowerCase()}:${Date.now()}`);

/** Records bounces and applies the suppression rules to the new ones; returns how many were new. */
export async function recordBounces(db: Database, items: BounceInput[]): Promise<number> {
  if (items.length === 0) return 0;
  const records: EventRecord[] = items.map((b) => ({
    kind: "bounce",
    dedupeKey: keyOf("bounce", b),
    occurredAt: b.occurredAt ?? new Date(),
    sendId: b.sendId ?? null,
    campaignId: b.campaignId ?? null,
    variantId: b.variantId ?? null,
    subscriberId: b.subscriberId ?? null,
    data: {
      email: b.email,
      hard: b.hard,
      status: b.status,
      reason: b.reason,
      source: b.source,
      diagnostic: b.diagnostic?.slice(0, 500) ?? null,
    },
  }));
  const fresh = await freshOf(db, records, items);
  const { bounces: rules } = await getSettingsOf(db, ["bounces"]);
  for (const b of fresh) await applyBounce(db, b, rules);
  return fresh.length;
}

/** Stores the events and returns the inputs whose event was new (not a repeated notice). */
async function freshOf<T>(db: Database, records: EventRecord[], items: T[]): Promise<T[]> {
  const stored = await ingestEvents(db, records);
  const keys = new Set(stored.inserted.map((e) => e.dedupeKey));
  return items.filter((_, i) => keys.has(records[i]?.dedupeKey ?? ""));
}

async function applyBounce(
  db: Database,
  b: BounceInput,
  rules: { softLimit: number; softWindowDays: number },
) {
  if (b.sendId) {
    // A DSN may arrive after the send was recorded as sent; the ledger shows the final word.
    await db
      .update(sends)
      .set({
        status: "bounced",
        lastEnhanced: b.status || null,
        lastError: (b.diagnostic ?? b.reason).slice(0, 1000),
      })
      .where(and(eq(sends.id, b.sendId), inArray(sends.status, ["sent", "sending", "queued", "failed"])));
    if (b.source !== "smtp" && b.campaignId) {
      await db
        .update(campaigns)
        .set({ bounceCount: sql`${campaigns.bounceCount} + 1` })
        .where(eq(campaigns.id, b.campaignId));
    }
  }
  let suppress = b.hard;
  if (!b.hard) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(events)
      .where(
        and(
          eq(events.kind, "bounce"),
          // By subscriber when known: events_subscriber_occurred_idx serves it.
          b.subscriberId
            ? eq(events.subscriberId, b.subscriberId)
            : sql`${events.data}->>'email' = ${b.email}`,
          gte(events.occurredAt, new Date(Date.now() - rules.softWindowDays * 86_400_000)),
        ),
      );
    suppress = (row?.n ?? 0) >= rules.softLimit;
  }
  if (!suppress) return;
  const detail = `${b.hard ? "hard" : "repeated soft"} bounce ${b.status || ""} ${b.reason}`
    .replace(/\s+/g, " ")
    .trim();
  await suppressEmail(db, b.email, "bounce", detail);
  await db
    .update(subscribers)
    .set({ status: "bounced" })
    .where(and(sql`lower(${subscribers.email}) = lower(${b.email})`, eq(subscribers.status, "active")));
}

/** Records complaints: suppress, mark complained, unsubscribe from every list. */
export async function recordComplaints(db: Database, items: ComplaintInput[]): Promise<number> {
  if (items.length === 0) return 0;
  const records: EventRecord[] = items.map((c) => ({
    kind: "complaint",
    dedupeKey: keyOf("complaint", c),
    occurredAt: c.occurredAt ?? new Date(),
    sendId: c.sendId ?? null,
    campaignId: c.campaignId ?? null,
    variantId: c.variantId ?? null,
    subscriberId: c.subscriberId ?? null,
    data: { email: c.email, feedbackType: c.feedbackType, source: c.source },
  }));
  const fresh = await freshOf(db, records, items);
  for (const c of fresh) {
    await suppressEmail(db, c.email, "complaint", `complaint (${c.feedbackType})`);
    const subs = await db
      .update(subscribers)
      .set({ status: "complained" })
      .where(sql`lower(${subscribers.email}) = lower(${c.email})`)
      .returning({ id: subscribers.id });
    const ids = subs.map((s) => s.id);
    if (ids.length > 0) {
      await db
        .update(listMemberships)
        .set({ status: "unsubscribed", unsubscribedAt: sql`now()` })
        .where(
          and(inArray(listMemberships.subscriberId, ids), sql`${listMemberships.status} <> 'unsubscribed'`),
        );
    }
  }
  return fresh.length;
}

import { sql } from "drizzle-orm";
import { sends } from "../../../schema/sends";
import { classifySmtpReply } from "../../bounce/classify";
import { type Database, queryRows } from "../../lib/db";
import { type BounceInput, recordBounces } from "../bounces/rules";
import type { EventRecord } from "../tracking/event-record";
import { ingestEvents } from "../tracking/ingest";
import type { Lease } from "./lease";
import { type Recorded, recordOutcome, type SendOutcome } from "./ledger";

/** Who a send went to, for its events and bounce rules. */
export interface SendParty {
  id: number;
  email: string;
  subscriberId: string | null;
  campaignId: string | null;
  variantId: string | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Writes one outcome and does not let go: a message the relay has taken must be recorded, or it
 * would be sent again once the lease runs out. A failing write is retried with backoff (the
 * caller sends nothing meanwhile) for up to the lease; `troubled` says the database failed on
 * the way, so the caller stops its batch.
 */
export async function recordDurably(
  db: Database,
  outcome: SendOutcome,
  lease: Lease,
  campaignId: string | null,
): Promise<Recorded & { troubled: boolean }> {
  const started = Date.now();
  let delay = 250;
  for (let troubled = false; ; troubled = true) {
    try {
      const written = await recordOutcome(db, outcome, lease.token, campaignId);
      lease.release(outcome.id);
      if (!written.recorded)
        console.error(
          `send ${outcome.id}: the claim was taken over before its outcome (${outcome.kind}) was written`,
        );
      return { ...written, troubled };
    } catch (err) {
      if (Date.now() - started > lease.leaseMs) throw err;
      if (!troubled)
        console.error(`send ${outcome.id}: outcome not written yet, holding the lane: ${String(err)}`);
      await sleep(delay);
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

/**
 * After outcomes are in the ledger: `sent` and `failed` events (the rollups count them) and the
 * bounce rules for relay refusals, the same for campaign, transactional and workflow sends.
 * Idempotent (dedupe keys), so a batch settled twice counts once.
 */
export async function settleOutcomes(db: Database, parties: SendParty[], outcomes: SendOutcome[]) {
  const byId = new Map(parties.map((p) => [p.id, p]));
  const now = new Date();
  const events: EventRecord[] = [];
  const bounces: BounceInput[] = [];
  for (const o of outcomes) {
    const p = byId.get(o.id);
    if (!p) continue;
    if (o.kind === "sent" || o.kind === "failed") events.push(eventOf(p, o.kind, now));
    else if (o.kind === "bounced") bounces.push(bounceOf(p, o.code, o.enhanced, o.error));
  }
  if (events.length > 0) await ingestEvents(db, events);
  await recordBounces(db, bounces);
}

function eventOf(p: SendParty, kind: "sent" | "failed", occurredAt: Date): EventRecord {
  return {
    kind,
    dedupeKey: `${kind}:${p.id}`,
    occurredAt,
    sendId: p.id,
    campaignId: p.campaignId,
    variantId: p.variantId,
    subscriberId: p.subscriberId,
  };
}

function bounceOf(
  p: SendParty,
  code: number | undefined,
  enhanced: string | undefined,
  error: string,
): BounceInput {
  const verdict = classifySmtpReply({ code, enhanced, text: error });
  return {
    email: p.email,
    hard: verdict.hard,
    status: verdict.status,
    reason: verdict.reason,
    diagnostic: error,
    source: "smtp",
    sendId: p.id,
    campaignId: p.campaignId,
    variantId: p.variantId,
    subscriberId: p.subscriberId,
  };
}

/**
 * Outcomes are written one by one but settled per batch, so a crash in between leaves final rows
 * without their event. Before a range of sends is done, those rows are settled (the dedupe keys
 * make this a no-op when nothing was missed).
 */
export async function reconcileSettlement(
  db: Database,
  range: { campaignId: string; first: number; last: number },
): Promise<void> {
  const rows = await queryRows<{
    id: string | number;
    status: "sent" | "failed" | "bounced";
    email: string;
    variant_id: string | null;
    subscriber_id: string | null;
    last_code: number | null;
    last_enhanced: string | null;
    last_error: string | null;
  }>(
    db,
    sql`select s.id, s.status, s.email, s.variant_id, s.subscriber_id, s.last_code, s.last_enhanced, s.last_error
      from ${sends} s
      where s.campaign_id = ${range.campaignId}::uuid and s.id between ${range.first} and ${range.last}
        and s.status in ('sent', 'failed', 'bounced')
        and not exists (select 1 from events e where e.dedupe_key =
          (case s.status when 'bounced' then 'bounce' else s.status::text end) || ':' || s.id)`,
  );
  if (rows.length === 0) return;
  const now = new Date();
  const events: EventRecord[] = [];
  const bounces: BounceInput[] = [];
  for (const r of rows) {
    const p: SendParty = {
      id: Number(r.id),
      email: r.email,
      subscriberId: r.subscriber_id,
      campaignId: range.campaignId,
      variantId: r.variant_id,
    };
    if (r.status === "bounced")
      bounces.push(bounceOf(p, r.last_code ?? undefined, r.last_enhanced ?? undefined, r.last_error ?? ""));
    else events.push(eventOf(p, r.status, now));
  }
  if (events.length > 0) await ingestEvents(db, events);
  await recordBounces(db, bounces);
}

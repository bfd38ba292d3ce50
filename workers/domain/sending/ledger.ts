import { sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sends } from "../../../schema/sends";
import { subscribers } from "../../../schema/subscribers";
import { type Database, queryRows } from "../../lib/db";

/**
 * The send ledger's two moves: claim (queued -> sending, atomically, so a redelivered queue
 * message, a second consumer or a restarted process never sends a recipient twice) and record
 * (sending -> sent | queued for a retry | failed | bounced | skipped).
 */

export interface ClaimedSend {
  id: number;
  email: string;
  subscriberId: string | null;
  variantId: string | null;
  attempts: number;
  name: string | null;
  fields: Record<string, unknown>;
  createdAt: Date;
  /** The subscriber's status now: someone who unsubscribed after the freeze is skipped. */
  subscriberStatus: string | null;
  /** The campaign's status at the moment of the claim (nothing is claimed unless it is running). */
  campaignStatus: string;
}

interface ClaimRow {
  id: string | number;
  email: string;
  subscriber_id: string | null;
  variant_id: string | null;
  attempts: number;
  name: string | null;
  fields: Record<string, unknown> | null;
  created_at: string | Date | null;
  subscriber_status: string | null;
  campaign_status: string;
}

/**
 * Claims up to `limit` rows of a chunk (send ids `first..last` of the campaign) that are queued
 * and due, or were claimed more than `leaseSeconds` ago by a consumer that never finished (in
 * doubt: resent, see ARCHITECTURE.md). Nothing is claimed unless the campaign is sending or
 * testing, so a pause takes effect at the next claim. `FOR UPDATE SKIP LOCKED` lets two
 * consumers share a chunk without waiting on each other.
 */
export async function claimSends(
  db: Database,
  q: { campaignId: string; first: number; last: number; limit: number; leaseSeconds: number },
): Promise<ClaimedSend[]> {
  const rows = await queryRows<ClaimRow>(
    db,
    sql`
    with c as (
      select status from ${campaigns} where id = ${q.campaignId}::uuid and status in ('sending', 'testing')
    ), picked as (
      select s.id, sub.name, sub.fields, sub.created_at, sub.status as subscriber_status, c.status as campaign_status
      from ${sends} s
      cross join c
      left join ${subscribers} sub on sub.id = s.subscriber_id
      where s.campaign_id = ${q.campaignId}::uuid and s.id between ${q.first} and ${q.last}
        and (
          (s.status = 'queued' and (s.next_retry_at is null or s.next_retry_at <= now()))
          or (s.status = 'sending' and s.claimed_at < now() - make_interval(secs => ${q.leaseSeconds}))
        )
      order by s.id
      limit ${q.limit}
      for update of s skip locked
    )
    update ${sends} s set status = 'sending', claimed_at = now(), attempts = s.attempts + 1, updated_at = now()
    from picked
    where s.id = picked.id
    returning s.id, s.email, s.subscriber_id, s.variant_id, s.attempts,
      picked.name, picked.fields, picked.created_at, picked.subscriber_status, picked.campaign_status`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    email: r.email,
    subscriberId: r.subscriber_id,
    variantId: r.variant_id,
    attempts: r.attempts,
    name: r.name,
    fields: r.fields ?? {},
    createdAt: r.created_at ? new Date(r.created_at) : new Date(0),
    subscriberStatus: r.subscriber_status,
    campaignStatus: r.campaign_status,
  }));
}

/** The outcome of one claimed send. */
export type SendOutcome =
  | { id: number; kind: "sent"; messageId: string; code?: number; response?: string }
  | {
      id: number;
      kind: "retry";
      retryAt: Date;
      code?: number;
      enhanced?: string;
      error: string;
      relayError?: boolean;
    }
  | { id: number; kind: "failed"; code?: number; enhanced?: string; error: string; relayError?: boolean }
  | { id: number; kind: "bounced"; code?: number; enhanced?: string; error: string }
  | { id: number; kind: "skipped"; error: string };

const STATUS: Record<SendOutcome["kind"], string> = {
  sent: "sent",
  retry: "queued",
  failed: "failed",
  bounced: "bounced",
  skipped: "skipped",
};

/** Writes a batch of outcomes in one statement; only rows still `sending` change. */
export async function recordOutcomes(db: Database, outcomes: SendOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  if (outcomes.length === 1 && outcomes[0]) return recordOne(db, outcomes[0]);
  const rows = outcomes.map((o) => ({
    id: o.id,
    status: STATUS[o.kind],
    message_id: o.kind === "sent" ? o.messageId : null,
    code: "code" in o ? (o.code ?? null) : null,
    enhanced: "enhanced" in o ? (o.enhanced ?? null) : null,
    error: "error" in o ? o.error.slice(0, 1000) : null,
    retry_at: o.kind === "retry" ? o.retryAt.toISOString() : null,
  }));
  await db.execute(sql`
    update ${sends} s set
      status = v.status::send_status,
      message_id = coalesce(v.message_id, s.message_id),
      sent_at = case when v.status = 'sent' then now() else s.sent_at end,
      last_code = v.code, last_enhanced = v.enhanced, last_error = v.error,
      next_retry_at = v.retry_at::timestamptz,
      claimed_at = null, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(id bigint, status text, message_id text, code int, enhanced text, error text, retry_at text)
    where s.id = v.id and s.status = 'sending'`);
}

/** One outcome (the sender writes each as it happens): a plain UPDATE, no JSON to build or parse. */
async function recordOne(db: Database, o: SendOutcome): Promise<void> {
  const code = "code" in o ? (o.code ?? null) : null;
  const enhanced = "enhanced" in o ? (o.enhanced ?? null) : null;
  const error = "error" in o ? o.error.slice(0, 1000) : null;
  await db.execute(sql`
    update ${sends} set
      status = ${STATUS[o.kind]}::send_status,
      message_id = coalesce(${o.kind === "sent" ? o.messageId : null}::text, message_id),
      sent_at = case when ${o.kind === "sent"} then now() else sent_at end,
      last_code = ${code}::int, last_enhanced = ${enhanced}::text, last_error = ${error}::text,
      next_retry_at = ${o.kind === "retry" ? o.retryAt.toISOString() : null}::timestamptz,
      claimed_at = null, updated_at = now()
    where id = ${o.id} and status = 'sending'`);
}

/** Gives claimed rows back untouched (the rate budget ran dry): queued again, attempt undone. */
export async function releaseSends(db: Database, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update ${sends} set status = 'queued', claimed_at = null, attempts = greatest(attempts - 1, 0)
    where id = any(${`{${ids.join(",")}}`}::bigint[]) and status = 'sending'`);
}

import { sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sends } from "../../../schema/sends";
import { subscribers } from "../../../schema/subscribers";
import { type Database, queryRows } from "../../lib/db";

/**
 * The send ledger's moves. A claim (queued -> sending) is atomic and fenced: it stamps the rows
 * with the claimant's token, and every later write of that claimant (lease renewal, outcome,
 * release) names the token, so once a lease has run out and another consumer has claimed the
 * row, the first one can change nothing. `Lease` (lease.ts) keeps a claim alive and tells the
 * sender whether it may still commit a message.
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

/** A row is claimable when queued and due, or claimed longer ago than the lease (its claimant died). */
const claimable = (leaseSeconds: number) => sql`(
  (s.status = 'queued' and (s.next_retry_at is null or s.next_retry_at <= now()))
  or (s.status = 'sending' and s.claimed_at < now() - make_interval(secs => ${leaseSeconds})))`;

/**
 * Claims up to `limit` rows of a chunk (send ids `first..last` of the campaign) under `token`.
 * Nothing is claimed unless the campaign is sending or testing. `FOR UPDATE SKIP LOCKED` lets two
 * consumers share a chunk without waiting on each other.
 */
export async function claimSends(
  db: Database,
  q: { campaignId: string; first: number; last: number; limit: number; leaseSeconds: number; token: string },
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
        and ${claimable(q.leaseSeconds)}
      order by s.id
      limit ${q.limit}
      for update of s skip locked
    )
    update ${sends} s set status = 'sending', claimed_at = now(), claim_token = ${q.token}::uuid,
      attempts = s.attempts + 1, updated_at = now()
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

/** Claims one send by id (a transactional send), under the same rules as a campaign's rows. */
export async function claimSend(
  db: Database,
  q: { id: number; leaseSeconds: number; token: string },
): Promise<typeof sends.$inferSelect | null> {
  const [row] = await db
    .update(sends)
    .set({
      status: "sending",
      claimedAt: sql`now()`,
      claimToken: q.token,
      attempts: sql`${sends.attempts} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      sql`${sends.id} = ${q.id} and (
        (${sends.status} = 'queued' and (${sends.nextRetryAt} is null or ${sends.nextRetryAt} <= now()))
        or (${sends.status} = 'sending' and ${sends.claimedAt} < now() - make_interval(secs => ${q.leaseSeconds})))`,
    )
    .returning();
  return row ?? null;
}

/** Renews the lease of the rows still held under `token`; returns how many are still held. */
export async function renewClaims(db: Database, ids: number[], token: string): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update ${sends} set claimed_at = now()
      where id = any(${`{${ids.join(",")}}`}::bigint[]) and status = 'sending' and claim_token = ${token}::uuid
      returning id`,
  );
  return rows.length;
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

const FINAL = new Set<SendOutcome["kind"]>(["sent", "failed", "bounced", "skipped"]);

/** What a fenced outcome write found. */
export interface Recorded {
  /** False when the row was no longer ours (its lease ran out and another claimed it). */
  recorded: boolean;
  /** The campaign's status as the write saw it (null for sends without a campaign). */
  campaignStatus: string | null;
}

/**
 * Writes one outcome, only if the row is still `sending` under `token`, and reads the campaign's
 * status in the same round trip: the sender learns of a pause or a cancel before its next message.
 */
export async function recordOutcome(
  db: Database,
  o: SendOutcome,
  token: string,
  campaignId: string | null,
): Promise<Recorded> {
  const code = "code" in o ? (o.code ?? null) : null;
  const enhanced = "enhanced" in o ? (o.enhanced ?? null) : null;
  const error = "error" in o ? o.error.slice(0, 1000) : null;
  const status = campaignId
    ? sql`(select status::text from ${campaigns} where id = ${campaignId}::uuid)`
    : sql`null::text`;
  const rows = await queryRows<{ id: string; campaign_status: string | null }>(
    db,
    sql`
    update ${sends} set
      status = ${STATUS[o.kind]}::send_status,
      message_id = coalesce(${o.kind === "sent" ? o.messageId : null}::text, message_id),
      sent_at = case when ${o.kind === "sent"} then now() else sent_at end,
      last_code = ${code}::int, last_enhanced = ${enhanced}::text, last_error = ${error}::text,
      next_retry_at = ${o.kind === "retry" ? o.retryAt.toISOString() : null}::timestamptz,
      payload = case when ${FINAL.has(o.kind)} then null else payload end,
      claimed_at = null, claim_token = null, updated_at = now()
    where id = ${o.id} and status = 'sending' and claim_token = ${token}::uuid
    returning id, ${status} as campaign_status`,
  );
  const [row] = rows;
  if (row) return { recorded: true, campaignStatus: row.campaign_status };
  // Not ours any more, or ours already: a write that committed but whose answer was lost (the
  // connection dropped) finds its own result when it is tried again.
  const [now] = await queryRows<{
    status: string;
    message_id: string | null;
    campaign_status: string | null;
  }>(db, sql`select status, message_id, ${status} as campaign_status from ${sends} where id = ${o.id}`);
  const ours = now?.status === STATUS[o.kind] && (o.kind !== "sent" || now.message_id === o.messageId);
  return { recorded: ours, campaignStatus: now?.campaign_status ?? null };
}

/** Writes a batch of outcomes in one statement (skips found before sending); fenced like recordOutcome. */
export async function recordOutcomes(db: Database, outcomes: SendOutcome[], token: string): Promise<void> {
  if (outcomes.length === 0) return;
  const rows = outcomes.map((o) => ({
    id: o.id,
    status: STATUS[o.kind],
    final: FINAL.has(o.kind),
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
      payload = case when v.final then null else s.payload end,
      claimed_at = null, claim_token = null, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(id bigint, status text, final boolean, message_id text, code int, enhanced text, error text, retry_at text)
    where s.id = v.id and s.status = 'sending' and s.claim_token = ${token}::uuid`);
}

/**
 * Gives claimed rows back untouched (never sent): queued again with the attempt undone, or
 * skipped with `skipReason` (the campaign was cancelled).
 */
export async function releaseSends(
  db: Database,
  ids: number[],
  token: string,
  skipReason?: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`${released(skipReason)}
    where id = any(${`{${ids.join(",")}}`}::bigint[]) and status = 'sending' and claim_token = ${token}::uuid`);
}

/**
 * Gives back every row of a chunk still held under `token` but those in `keep`: after a claim
 * whose answer was lost (the connection dropped as it committed), the claimant knows its token
 * but not its rows.
 */
export async function releaseClaim(
  db: Database,
  q: { campaignId: string; first: number; last: number; token: string; keep: number[] },
): Promise<void> {
  await db.execute(sql`${released()}
    where campaign_id = ${q.campaignId}::uuid and id between ${q.first} and ${q.last}
      and status = 'sending' and claim_token = ${q.token}::uuid
      and not (id = any(${`{${q.keep.join(",")}}`}::bigint[]))`);
}

const released = (skipReason?: string) =>
  skipReason
    ? sql`update ${sends} set status = 'skipped', last_error = ${skipReason}, claimed_at = null,
        claim_token = null, next_retry_at = null, payload = null, updated_at = now()`
    : sql`update ${sends} set status = 'queued', claimed_at = null, claim_token = null,
        attempts = greatest(attempts - 1, 0), updated_at = now()`;

/** The campaign's status now (after a wait, before the next message). */
export async function campaignStatusOf(db: Database, campaignId: string): Promise<string | null> {
  const [row] = await queryRows<{ status: string }>(
    db,
    sql`select status from ${campaigns} where id = ${campaignId}::uuid`,
  );
  return row?.status ?? null;
}

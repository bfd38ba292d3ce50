import { sql } from "drizzle-orm";
import { sends } from "../../../schema/sends";
import { type Database, queryRows } from "../../lib/db";
import { NotFoundError } from "../../lib/errors";
import type { JobQueue } from "../context";
import type { SendJob } from "../jobs";
import { enqueueSendJobs } from "./chunks";

/** A transactional send past its retry time by this much (or the lease, if shorter) has lost its queue message. */
const OVERDUE_SECONDS = 60;

/**
 * Transactional sends whose queue message was lost (a crash before it was queued, a local queue
 * that kept nothing): queued and overdue, or claimed longer ago than the lease. The cron hands
 * them back to the queue; claiming is atomic, so a send found twice is still sent once.
 */
export async function findStrandedTransactional(db: Database, leaseSeconds: number): Promise<number[]> {
  const rows = await queryRows<{ id: string | number }>(
    db,
    sql`select id from ${sends}
      where campaign_id is null and status in ('queued', 'sending')
        and (
          (status = 'queued' and coalesce(next_retry_at, updated_at)
            < now() - make_interval(secs => ${Math.min(OVERDUE_SECONDS, leaseSeconds)}))
          or (status = 'sending' and claimed_at < now() - make_interval(secs => ${leaseSeconds})))
      order by id limit 1000`,
  );
  return rows.map((r) => Number(r.id));
}

/** The cron's sweep: stranded transactional sends go back on the queue. Returns how many. */
export async function requeueStrandedTransactional(
  db: Database,
  queue: JobQueue<SendJob>,
  leaseSeconds: number,
): Promise<number> {
  const ids = await findStrandedTransactional(db, leaseSeconds);
  await enqueueSendJobs(
    queue,
    ids.map((sendId) => ({ type: "transactional", sendId })),
  );
  return ids.length;
}

/**
 * The delivery job of a transactional send failed every retry: the send fails, visibly, unless
 * a live sender holds it. (The sweep would otherwise hand it back to the queue forever.)
 */
export async function markTransactionalDead(
  db: Database,
  sendId: number,
  leaseSeconds: number,
): Promise<void> {
  await db.execute(sql`
    update ${sends} set status = 'failed', payload = null, claimed_at = null, claim_token = null,
      next_retry_at = null, updated_at = now(),
      last_error = coalesce(last_error || ' ', '') || '(the delivery job failed every retry)'
    where id = ${sendId} and campaign_id is null
      and (status = 'queued' or (status = 'sending' and claimed_at < now() - make_interval(secs => ${leaseSeconds})))`);
}

/** A transactional send as its caller may follow it: status, attempts, the relay's last word. */
export interface TransactionalSendView {
  id: string;
  to: string;
  status: string;
  templateId: string | null;
  templateVersion: number | null;
  attempts: number;
  lastCode: number | null;
  lastError: string | null;
  messageId: string | null;
  nextRetryAt: string | null;
  sentAt: string | null;
  createdAt: string;
}

export async function getTransactionalSend(db: Database, id: number): Promise<TransactionalSendView> {
  const [row] = await db
    .select()
    .from(sends)
    .where(sql`${sends.id} = ${id} and ${sends.campaignId} is null and ${sends.workflowInstanceId} is null`);
  if (!row) throw NotFoundError("Transactional send");
  return {
    id: String(row.id),
    to: row.email,
    status: row.status,
    templateId: row.templateId,
    templateVersion: row.templateVersion,
    attempts: row.attempts,
    lastCode: row.lastCode,
    lastError: row.lastError,
    messageId: row.messageId,
    nextRetryAt: row.nextRetryAt?.toISOString() ?? null,
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../lib/db";
import { NotFoundError } from "../../lib/errors";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import { BIGINT_ID_MAX, decodeNumberCursor, encodeCursor, type Page } from "../pagination";
import { wakeSenders } from "./emit";
import { getWebhook } from "./endpoints";

export interface AttemptView {
  id: string;
  deliveryId: string;
  webhookId: string;
  event: string;
  eventCount: number;
  ok: boolean;
  status: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
  createdAt: Date;
}

/** An endpoint's attempts, newest first (keyset paging on the attempt id). */
export async function listAttempts(
  db: Database,
  endpointId: string,
  q: { limit: number; cursor?: string },
): Promise<Page<AttemptView>> {
  await getWebhook(db, endpointId);
  const before = decodeNumberCursor(q.cursor, BIGINT_ID_MAX);
  const rows = await queryRows<AttemptView>(
    db,
    sql`select id::text, delivery_id::text as "deliveryId", webhook_id as "webhookId", event_type as event,
        event_count as "eventCount", ok, status_code as status, latency_ms as "latencyMs",
        response_excerpt as "responseExcerpt", error, created_at as "createdAt"
      from webhook_attempts where endpoint_id = ${endpointId}
        and ${before === null ? sql`true` : sql`id < ${before}`}
      order by webhook_attempts.id desc limit ${q.limit + 1}`,
  );
  const data = rows.slice(0, q.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null };
}

/**
 * Sends a delivery again (a batch: all of its events), as new deliveries at the end of the
 * endpoint's queue with the same event ids, so a receiver that deduplicates sees them once.
 */
export async function redeliver(
  { db, actor, queues }: DomainContext,
  endpointId: string,
  deliveryId: string,
) {
  const queued = await db.transaction(async (tx) => {
    await getWebhook(tx, endpointId);
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`insert into webhook_deliveries (endpoint_id, event_id, type, occurred_at, data)
        select endpoint_id, event_id, type, occurred_at, data from webhook_deliveries
        where endpoint_id = ${endpointId} and (id = ${deliveryId} or batch_id = ${deliveryId})
        order by id
        returning id`,
    );
    if (rows.length === 0) throw NotFoundError("Delivery");
    await emitAudit(tx, actor, {
      action: "webhook.redeliver",
      entity: "webhook",
      entityId: endpointId,
      after: { deliveryId, events: rows.length },
    });
    return rows.length;
  });
  await wakeSenders(queues?.webhooks, [endpointId]);
  return queued;
}

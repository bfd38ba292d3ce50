import { sql } from "drizzle-orm";
import { newId } from "../../../schema/columns";
import type { WebhookEventType } from "../../contract/webhooks";
import { type Database, queryRows } from "../../lib/db";
import type { JobQueue } from "../context";
import type { WebhookJob } from "../jobs";

/**
 * The transactional outbox of outgoing webhooks. A domain change calls `emitWebhookEvents` with
 * the transaction that makes it: one statement copies each event into `webhook_deliveries` once
 * per enabled endpoint subscribed to its type (nothing when none is), so the events commit or roll
 * back with the change and are never lost to a failed queue send. The sender (deliver.ts) drains
 * each endpoint's pending rows in id order; the wake-up message is only a hint (the cron re-finds
 * due rows whose message was lost).
 */

export interface WebhookEvent {
  type: WebhookEventType;
  data: Record<string, unknown>;
  occurredAt?: Date;
}

interface Emitter {
  db: Database;
  queues?: { webhooks?: JobQueue<WebhookJob> };
}

/** Stores the events for every subscribed endpoint; wakes their senders when a queue is at hand. */
export async function emitWebhookEvents(ctx: Emitter, events: WebhookEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e, ord) => ({
    ord,
    event_id: `msg_${newId().replace(/-/g, "")}`,
    type: e.type,
    occurred_at: (e.occurredAt ?? new Date()).toISOString(),
    data: e.data,
  }));
  const touched = await queryRows<{ endpoint_id: string }>(
    ctx.db,
    sql`insert into webhook_deliveries (endpoint_id, event_id, type, occurred_at, data)
      select e.id, v.event_id, v.type, v.occurred_at, v.data
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as v(ord int, event_id text, type text, occurred_at timestamptz, data jsonb)
      join webhook_endpoints e on e.enabled and v.type = any(e.events)
      order by v.ord, e.id
      returning endpoint_id`,
  );
  await wakeSenders(ctx.queues?.webhooks, [...new Set(touched.map((r) => r.endpoint_id))]);
}

/**
 * Opens, clicks, sends, deliveries, bounces and complaints, from the rows `ingestEvents` just
 * stored (call it in the same transaction): `email.*` events with the send's address, and for
 * opens and clicks whether a machine (privacy proxy, link scanner) made them.
 */
export async function emitIngestedEvents(tx: Database, eventIds: number[]): Promise<void> {
  if (eventIds.length === 0) return;
  await tx.execute(sql`insert into webhook_deliveries (endpoint_id, event_id, type, occurred_at, data)
    select e.id, 'msg_ev' || ev.id, t.type, ev.occurred_at,
      jsonb_strip_nulls(jsonb_build_object(
        'sendId', ev.send_id, 'campaignId', ev.campaign_id, 'subscriberId', ev.subscriber_id,
        'email', s.email, 'machine', case when ev.kind in ('open', 'click') then ev.machine end,
        'url', ev.url, 'client', ev.client, 'details', ev.data))
    from events ev
    join lateral (select case ev.kind::text when 'sent' then 'email.sent' when 'delivered' then 'email.delivered'
      when 'bounce' then 'email.bounced' when 'complaint' then 'email.complained'
      when 'open' then 'email.opened' when 'click' then 'email.clicked' end as type) t on t.type is not null
    left join sends s on s.id = ev.send_id
    join webhook_endpoints e on e.enabled and t.type = any(e.events)
    where ev.id = any(${`{${eventIds.join(",")}}`}::bigint[])
      and exists (select 1 from webhook_endpoints where enabled)
    order by ev.id, e.id`);
}

/** One wake-up per endpoint, a second later (after the emitting transaction commits); best effort. */
export async function wakeSenders(queue: JobQueue<WebhookJob> | undefined, endpointIds: string[]) {
  if (!queue || endpointIds.length === 0) return;
  await queue
    .sendBatch(endpointIds.map((endpointId) => ({ body: { endpointId }, delaySeconds: 1 })))
    .catch((err: unknown) => console.error(`webhooks: wake-up not queued (the cron will): ${String(err)}`));
}

/** Endpoints with due deliveries and no sender at work: the cron's backstop and the consumers' nudge. */
export async function wakeDueEndpoints(
  db: Database,
  queue: JobQueue<WebhookJob> | undefined,
): Promise<number> {
  if (!queue) return 0;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select e.id from webhook_endpoints e
      where e.enabled and (e.lease_until is null or e.lease_until < now())
        and exists (select 1 from webhook_deliveries d where d.endpoint_id = e.id
          and d.status = 'pending' and d.next_at <= now())`,
  );
  await wakeSenders(
    queue,
    rows.map((r) => r.id),
  );
  return rows.length;
}

/** A `campaign.*` event with the campaign's id, name, status and counts as they are in `tx`. */
export async function emitCampaignEvent(
  ctx: Emitter,
  type: "campaign.started" | "campaign.sent" | "campaign.paused" | "campaign.cancelled",
  campaignId: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const [c] = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`select id, name, status, audience_size as "audienceSize", sent_count as "sentCount",
        paused_reason as "pausedReason"
      from campaigns where id = ${campaignId}`,
  );
  if (c) await emitWebhookEvents(ctx, [{ type, data: { campaign: { ...c, ...extra } } }]);
}

import { sql } from "drizzle-orm";
import { BATCHED_EVENT_TYPES } from "../../contract/webhooks";
import type { Env } from "../../env";
import { decryptSecret } from "../../lib/crypto";
import { type Database, queryRows } from "../../lib/db";
import { refusedTarget } from "../../lib/net-guard";
import { postSigned, type SignedOutcome, secretBytes } from "../../lib/standard-webhooks";
import { systemActor } from "../actor";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import { getSettingsOf } from "../settings";
import { wakeSenders } from "./emit";
import { noticeAdmins } from "./notice";
import { MAX_ATTEMPTS, RETRY_SCHEDULE_SECONDS } from "./schedule";

/**
 * The sender of one endpoint: holds the endpoint's lease (one sender at a time, so deliveries
 * leave in id order), takes the oldest pending delivery (the head) and sends it, with the opens
 * and clicks right behind it when it is one (a batch). A failing head holds every later delivery
 * (per-endpoint FIFO keeps each subscriber's events in order) and is retried on the schedule
 * below; when it has failed the whole schedule (about a day), the endpoint is turned off, audited,
 * and the admins are told. Later deliveries then wait until someone turns it on again.
 */

/** Opens and clicks in one batch request. */
export const BATCH_SIZE = 500;
/** A sender's lease; renewed each request. */
const LEASE_SECONDS = 60;
/** One sender call drains this long, then hands on to a new message. */
const DRAIN_MS = 25_000;

interface Endpoint {
  id: string;
  url: string;
  secret_encrypted: string;
}

interface Delivery {
  id: string;
  event_id: string;
  type: string;
  occurred_at: string | Date;
  data: Record<string, unknown>;
  attempts: number;
  due: boolean;
  wait_seconds: number;
}

/** Drains one endpoint's due deliveries in order; returns how many requests succeeded. */
export async function drainEndpoint(ctx: DomainContext, env: Env, endpointId: string): Promise<number> {
  const endpoint = await claimEndpoint(ctx.db, endpointId);
  if (!endpoint) return 0;
  const secret = secretBytes(await decryptSecret(env.ENCRYPTION_KEY, endpoint.secret_encrypted));
  const started = Date.now();
  let delivered = 0;
  let next: { delaySeconds: number } | null = null;
  try {
    for (;;) {
      const group = await headGroup(ctx.db, endpointId);
      if (group.length === 0) break;
      const head = group[0] as Delivery;
      if (!head.due) {
        next = { delaySeconds: Math.max(1, Math.ceil(head.wait_seconds)) };
        break;
      }
      if (Date.now() - started > DRAIN_MS) {
        next = { delaySeconds: 0 };
        break;
      }
      const outcome = await sendGroup(ctx.db, env, endpoint, secret, group);
      if (outcome.ok) delivered++;
      else if (await recordFailure(ctx, env, endpoint, head)) break;
    }
  } finally {
    await ctx.db.execute(sql`update webhook_endpoints set lease_until = null where id = ${endpointId}`);
  }
  if (next) await wakeLater(ctx, endpointId, next.delaySeconds);
  // A row committed while the lease was being given up had its wake-up refused: look once more.
  else if (await hasDue(ctx.db, endpointId)) await wakeLater(ctx, endpointId, 1);
  return delivered;
}

async function hasDue(db: Database, endpointId: string): Promise<boolean> {
  const [row] = await queryRows<{ due: boolean }>(
    db,
    sql`select exists (select 1 from webhook_deliveries where endpoint_id = ${endpointId}
      and status = 'pending' and next_at <= now()) as due`,
  );
  return row?.due === true;
}

async function claimEndpoint(db: Database, id: string): Promise<Endpoint | null> {
  const [row] = await queryRows<Endpoint>(
    db,
    sql`update webhook_endpoints set lease_until = now() + make_interval(secs => ${LEASE_SECONDS})
      where id = ${id} and enabled and (lease_until is null or lease_until < now())
      returning id, url, secret_encrypted`,
  );
  return row ?? null;
}

/** The head delivery, and when it is an open or click the ones of those kinds right after it. */
async function headGroup(db: Database, endpointId: string): Promise<Delivery[]> {
  const rows = await queryRows<Delivery>(
    db,
    sql`select id::text, event_id, type, occurred_at, data, attempts, next_at <= now() as due,
        extract(epoch from next_at - now())::float8 as wait_seconds
      from webhook_deliveries where endpoint_id = ${endpointId} and status = 'pending'
      order by webhook_deliveries.id limit ${BATCH_SIZE}`,
  );
  const head = rows[0];
  if (!head) return [];
  if (!isBatched(head.type)) return [head];
  const group: Delivery[] = [];
  for (const row of rows) {
    if (!isBatched(row.type)) break;
    group.push(row);
  }
  return group;
}

const isBatched = (type: string) => (BATCHED_EVENT_TYPES as readonly string[]).includes(type);

const iso = (t: string | Date) => new Date(t).toISOString();

/** The request body: one event as `{type, timestamp, data}`, a batch as `{type: "batch", …}`. */
export function bodyOf(group: Delivery[]): { id: string; type: string; body: string } {
  const head = group[0] as Delivery;
  if (!isBatched(head.type))
    return {
      id: head.event_id,
      type: head.type,
      body: JSON.stringify({ type: head.type, timestamp: iso(head.occurred_at), data: head.data }),
    };
  const events = group.map((d) => ({
    id: d.event_id,
    type: d.type,
    timestamp: iso(d.occurred_at),
    data: d.data,
  }));
  return {
    id: `msg_batch_${head.id}`,
    type: "batch",
    body: JSON.stringify({
      type: "batch",
      timestamp: new Date().toISOString(),
      data: { count: events.length, events },
    }),
  };
}

async function sendGroup(
  db: Database,
  env: Env,
  endpoint: Endpoint,
  secret: Uint8Array,
  group: Delivery[],
): Promise<SignedOutcome> {
  const { id, type, body } = bodyOf(group);
  const head = group[0] as Delivery;
  const allow = (await getSettingsOf(db, ["webhooks"])).webhooks.allowPrivateTargets;
  const refused = await refusedTarget(env, endpoint.url, allow);
  const outcome: SignedOutcome = refused
    ? { ok: false, latencyMs: 0, error: `refused: ${refused}` }
    : await postSigned(endpoint.url, { id, body, secret, userAgent: "Edgepost-Webhooks/1" });
  const ids = `{${group.map((d) => d.id).join(",")}}`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into webhook_attempts (endpoint_id, delivery_id, webhook_id, event_type,
        event_count, ok, status_code, latency_ms, response_excerpt, error)
      values (${endpoint.id}, ${head.id}, ${id}, ${type}, ${group.length}, ${outcome.ok},
        ${outcome.status ?? null}, ${outcome.latencyMs}, ${outcome.excerpt ?? null},
        ${outcome.ok ? null : outcome.error.slice(0, 500)})`);
    if (outcome.ok)
      await tx.execute(sql`update webhook_deliveries set status = 'delivered', delivered_at = now(),
          batch_id = ${group.length > 1 ? head.id : null}, attempts = attempts + 1
        where id = any(${ids}::bigint[]) and status = 'pending'`);
    await tx.execute(sql`update webhook_endpoints set lease_until = now() + make_interval(secs => ${LEASE_SECONDS})
      where id = ${endpoint.id}`);
  });
  return outcome;
}

/**
 * A failed attempt of the head: schedules the next one (false: the sender goes on, and finds the
 * head not due), or after the last one gives the head up and turns the endpoint off (true: stop).
 */
async function recordFailure(
  ctx: DomainContext,
  env: Env,
  endpoint: Endpoint,
  head: Delivery,
): Promise<boolean> {
  const attempts = head.attempts + 1;
  if (attempts < MAX_ATTEMPTS) {
    const wait = RETRY_SCHEDULE_SECONDS[attempts - 1] ?? 28_800;
    await ctx.db.execute(sql`update webhook_deliveries set attempts = ${attempts},
        next_at = now() + make_interval(secs => ${wait}) where id = ${head.id}`);
    return false;
  }
  const reason = `Every attempt failed for about a day (${MAX_ATTEMPTS} attempts of one delivery)`;
  const turnedOff = await ctx.db.transaction(async (tx) => {
    await tx.execute(
      sql`update webhook_deliveries set status = 'failed', attempts = ${attempts} where id = ${head.id}`,
    );
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`update webhook_endpoints set enabled = false, disabled_reason = ${reason}, updated_at = now()
        where id = ${endpoint.id} and enabled returning id`,
    );
    if (row)
      await emitAudit(tx, systemActor("webhooks"), {
        action: "webhook.auto_disable",
        entity: "webhook",
        entityId: endpoint.id,
        before: { enabled: true },
        after: { enabled: false, disabledReason: reason },
      });
    return Boolean(row);
  });
  if (turnedOff) await noticeAdmins(ctx.db, env, endpoint.url, reason);
  return true;
}

async function wakeLater(ctx: DomainContext, endpointId: string, delaySeconds: number) {
  // Queues delay at most 12 hours; the cron's sweep covers anything later.
  if (delaySeconds > 43_200) return;
  const queue = ctx.queues?.webhooks;
  if (!queue) return;
  if (delaySeconds <= 1) return wakeSenders(queue, [endpointId]);
  await queue
    .send({ endpointId }, { delaySeconds })
    .catch((err: unknown) => console.error(`webhooks: wake-up not queued (the cron will): ${String(err)}`));
}

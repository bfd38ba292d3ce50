import { systemActor } from "../domain/actor";
import { recordSeenZones, type SeenZone } from "../domain/audience/zone";
import { queuesOf } from "../domain/context";
import { recordsFromEventsMessage } from "../domain/tracking/event-message";
import type { EventRecord } from "../domain/tracking/event-record";
import { type IngestResult, ingestEvents } from "../domain/tracking/ingest";
import { wakeDueEndpoints } from "../domain/webhooks/emit";
import { enterOnCampaignActivity } from "../domain/workflows/triggers";
import type { Env } from "../env";
import { openDbFor } from "../lib/db";
import type { QueueConsumer } from "./consumer";

type CampaignActivity = { campaignId: string; subscriberId: string; kind: "opened" | "clicked" };

/** People's (not machines') opens and clicks of campaign mail: what `campaign_activity` workflows start on. */
function humanCampaignActivity(inserted: IngestResult["inserted"]): CampaignActivity[] {
  const out: CampaignActivity[] = [];
  for (const e of inserted) {
    if (e.machine || !e.campaignId || !e.subscriberId) continue;
    if (e.kind === "open" || e.kind === "click")
      out.push({
        campaignId: e.campaignId,
        subscriberId: e.subscriberId,
        kind: e.kind === "open" ? "opened" : "clicked",
      });
  }
  return out;
}

/** The zones people's opens and clicks were seen from (machine events say where a proxy is). */
function seenZones(records: EventRecord[]): SeenZone[] {
  return records.flatMap((r) =>
    !r.machine && r.subscriberId && r.timezone
      ? [{ subscriberId: r.subscriberId, zone: r.timezone, at: r.occurredAt }]
      : [],
  );
}

/** Backoff for a batch the database refused: 10 s, 20 s, 40 s … at most 10 minutes. */
export const retryDelaySeconds = (attempts: number): number =>
  Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));

/** Events per `ingestEvents` transaction: a batch of packs can hold tens of thousands. */
const INGEST_CHUNK = 1000;

/**
 * The events queue (up to 100 messages a batch, wrangler.toml; each message a pack of events or a
 * single one): one connection, one `ingestEvents` transaction per 1,000 events. Malformed events
 * are dropped one by one (logged; a message with nothing valid is acknowledged: retrying cannot fix
 * it); a database failure retries the whole batch with backoff, which is safe because ingestion is
 * idempotent per event.
 */
export const eventsConsumer: QueueConsumer = async (batch, env: Env) => {
  const records: EventRecord[] = [];
  for (const msg of batch.messages) {
    const { records: found, dropped } = recordsFromEventsMessage(msg.body);
    if (dropped > 0)
      console.error(`events queue: dropping ${dropped} malformed event(s) of message ${msg.id}`);
    if (found.length === 0) msg.ack();
    else for (const record of found) records.push(record);
  }
  if (records.length === 0) return;
  const conn = openDbFor(env);
  try {
    const activity: CampaignActivity[] = [];
    for (let at = 0; at < records.length; at += INGEST_CHUNK) {
      const { inserted } = await ingestEvents(conn.db, records.slice(at, at + INGEST_CHUNK));
      activity.push(...humanCampaignActivity(inserted));
    }
    batch.ackAll();
    // Wake the senders of outgoing webhooks the new events queued (the cron would, within a minute).
    await wakeDueEndpoints(conn.db, queuesOf(env).webhooks).catch((err: unknown) =>
      console.error(`events queue: webhook senders not woken: ${String(err)}`),
    );
    // Where people (not proxies or scanners) were seen, for local-time sends: best effort.
    await recordSeenZones(conn.db, seenZones(records)).catch((err: unknown) =>
      console.error(`events queue: seen time zones not recorded: ${String(err)}`),
    );
    // After the events are stored: a workflow entry that fails is logged, never a reason to
    // store the events again (the entry is keyed, so the next open or click can still enter).
    if (activity.length > 0) {
      const ctx = { db: conn.db, actor: systemActor("events"), queues: queuesOf(env) };
      await enterOnCampaignActivity(ctx, activity).catch((err: unknown) =>
        console.error(`events queue: workflow entries on campaign activity failed: ${String(err)}`),
      );
    }
  } catch (err) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    const delaySeconds = retryDelaySeconds(attempts);
    console.error(
      `events queue: batch of ${records.length} not stored (attempt ${attempts}), retry in ${delaySeconds} s: ${
        err instanceof Error ? err.message : String(err)
      }`,
    );
    // Messages acknowledged above stay acknowledged: an explicit ack wins over retryAll.
    batch.retryAll({ delaySeconds });
  } finally {
    await conn.close();
  }
};

import { type AnyColumn, and, asc, desc, eq, getTableColumns, inArray, isNull, lt, sql } from "drizzle-orm";
import { auditLogs } from "../../../schema/audit";
import { campaigns } from "../../../schema/campaigns";
import { events } from "../../../schema/events";
import { sends } from "../../../schema/sends";
import { subscribers } from "../../../schema/subscribers";
import { workflows } from "../../../schema/workflows";
import type { Database } from "../../lib/db";
import { NotFoundError } from "../../lib/errors";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import { BIGINT_ID_MAX, decodeNumberCursor, encodeCursor, type Page } from "../pagination";
import { emitWebhookEvents } from "../webhooks/emit";
import { emailKey } from "./email";
import { getSubscriber, type SubscriberDetail } from "./subscribers";
import { suppressEmail } from "./suppressions/suppressions";

export type EventRow = typeof events.$inferSelect;
export type SendRow = typeof sends.$inferSelect;

export interface SubscriberExport {
  exportedAt: Date;
  profile: SubscriberDetail;
  events: EventRow[];
  sends: SendRow[];
}

/** Everything held about one subscriber (GDPR Art. 15 / 20), as one document. */
export async function exportSubscriber(db: Database, id: string): Promise<SubscriberExport> {
  const profile = await getSubscriber(db, id);
  const [eventRows, sendRows] = await Promise.all([
    db.select().from(events).where(eq(events.subscriberId, id)).orderBy(asc(events.occurredAt)),
    db.select().from(sends).where(eq(sends.subscriberId, id)).orderBy(asc(sends.id)),
  ]);
  return { exportedAt: new Date(), profile, events: eventRows, sends: sendRows };
}

/**
 * A timeline entry: the event with the names of the campaign and the workflow it came from, read
 * at the time of asking. A deleted campaign or workflow keeps its id with a null name and
 * `…Deleted: true`; an archived campaign says so.
 */
export type TimelineEvent = EventRow & {
  campaignName: string | null;
  campaignArchived: boolean;
  campaignDeleted: boolean;
  workflowId: string | null;
  workflowName: string | null;
  workflowDeleted: boolean;
};

/** A subscriber's events, newest first, paged by event id, with campaign and workflow names. */
export async function subscriberEvents(
  db: Database,
  id: string,
  q: { limit: number; cursor?: string },
): Promise<Page<TimelineEvent>> {
  const before = decodeNumberCursor(q.cursor, BIGINT_ID_MAX);
  const [exists] = await db.select({ id: subscribers.id }).from(subscribers).where(eq(subscribers.id, id));
  if (!exists) throw NotFoundError("Subscriber");
  const rows = await db
    .select({
      ...getTableColumns(events),
      campaignName: campaigns.name,
      campaignArchived: sql<boolean>`${campaigns.archivedAt} is not null`,
      campaignDeleted: sql<boolean>`${events.campaignId} is not null and ${campaigns.id} is null`,
      workflowId: sends.workflowId,
      workflowName: workflows.name,
      workflowDeleted: sql<boolean>`${sends.workflowId} is not null and ${workflows.id} is null`,
    })
    .from(events)
    .leftJoin(campaigns, eq(campaigns.id, events.campaignId))
    .leftJoin(sends, eq(sends.id, events.sendId))
    .leftJoin(workflows, eq(workflows.id, sends.workflowId))
    .where(and(eq(events.subscriberId, id), before !== null ? lt(events.id, before) : undefined))
    .orderBy(desc(events.id))
    .limit(q.limit + 1);
  const data = rows.slice(0, q.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > q.limit && last ? encodeCursor({ id: String(last.id) }) : null };
}

/**
 * Erases a subscriber (GDPR Art. 17): the profile and memberships are deleted; sends and events
 * stay for the campaign figures but lose every link to the person (address, ip, user agent); the
 * address is kept only as a suppression hash so it is never mailed again, even if re-imported;
 * the audit log is scrubbed of them (`scrubAudit`); one audit row records the erasure.
 */
export async function eraseSubscriber({ db, actor, queues }: DomainContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(subscribers).where(eq(subscribers.id, id)).for("update");
    if (!row) throw NotFoundError("Subscriber");
    await suppressEmail(tx, row.email, "erased", "subscriber erased on request");
    await scrubAudit(tx, id, row.email);
    await tx.update(sends).set({ subscriberId: null, email: "erased" }).where(eq(sends.subscriberId, id));
    await tx
      .update(events)
      .set({ subscriberId: null, ip: null, userAgent: null, data: null })
      .where(eq(events.subscriberId, id));
    await tx.delete(subscribers).where(eq(subscribers.id, id));
    await emitAudit(tx, actor, { action: "subscriber.erase", entity: "subscriber", entityId: id });
    // Sent webhook payloads about them are scrubbed; receivers are told to erase them too.
    await tx.execute(sql`update webhook_deliveries set data = '{"erased": true}'::jsonb
      where status <> 'pending' and (data->>'subscriberId' = ${id} or data->'subscriber'->>'id' = ${id})`);
    await emitWebhookEvents({ db: tx, queues }, [
      { type: "subscriber.deleted", data: { subscriber: { id, email: row.email } } },
    ]);
  });
}

const ERASED = "[erased]";

/**
 * Removes the person from the audit log, inside the erasure's transaction. Rows about the
 * subscriber lose their diff; those of their own actions (the form, the confirmation click,
 * unsubscribes, preferences: actor `public`) also lose the address, IP and user agent, which are
 * the subscriber's. Admins' rows keep the admin's own label, IP and user agent. The address in
 * suppression rows and in transactional sends to them becomes "[erased]" too. Runs before the
 * sends lose their subscriber id, which finds the transactional ones.
 */
async function scrubAudit(tx: Database, id: string, email: string): Promise<void> {
  const own = sql`${auditLogs.actorType} = 'public'`;
  const mine = (column: AnyColumn) => sql`case when ${own} then ${ERASED} else ${column} end`;
  await tx
    .update(auditLogs)
    .set({
      diff: sql`'{"erased": true}'::jsonb`,
      actorLabel: mine(auditLogs.actorLabel),
      ip: mine(auditLogs.ip),
      userAgent: mine(auditLogs.userAgent),
    })
    .where(and(eq(auditLogs.entity, "subscriber"), eq(auditLogs.entityId, id)));
  const key = emailKey(email);
  for (const path of ["{before,email}", "{after,email}"]) {
    await tx
      .update(auditLogs)
      .set({ diff: sql`jsonb_set(${auditLogs.diff}, ${path}::text[], ${JSON.stringify(ERASED)}::jsonb)` })
      .where(
        and(eq(auditLogs.entity, "suppression"), sql`lower(${auditLogs.diff} #>> ${path}::text[]) = ${key}`),
      );
  }
  const transactional = tx
    .select({ id: sql`${sends.id}::text` })
    .from(sends)
    .where(and(eq(sends.subscriberId, id), isNull(sends.campaignId)));
  await tx
    .update(auditLogs)
    .set({ diff: sql`jsonb_set(${auditLogs.diff}, '{after,to}', ${JSON.stringify(ERASED)}::jsonb)` })
    .where(
      and(
        eq(auditLogs.entity, "send"),
        inArray(auditLogs.entityId, transactional),
        sql`${auditLogs.diff} #>> '{after,to}' is not null`,
      ),
    );
}

import { and, count, eq, getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import { touch } from "../../../schema/columns";
import { type ConsentSource, listMemberships, lists } from "../../../schema/lists";
import { segments } from "../../../schema/segments";
import { subscribers } from "../../../schema/subscribers";
import type {
  CreateSubscriber,
  MembershipChange,
  SubscriberQuery,
  UpdateSubscriber,
} from "../../contract/audience";
import type { Database } from "../../lib/db";
import { AppError, ConflictError, NotFoundError } from "../../lib/errors";
import { isUniqueViolation } from "../../lib/pg-errors";
import type { Actor } from "../actor";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import type { Page } from "../pagination";
import { emitWebhookEvents, type WebhookEvent } from "../webhooks/emit";
import { checkEmail, emailKey } from "./email";
import { loadFieldDefs, validateFieldValues } from "./field-values";
import { assertListsOpen } from "./lists";
import { compileSegment } from "./segments/compiler";
import { subscriberKeyset } from "./subscriber-sort";
import { isSuppressed } from "./suppressions/suppressions";

export type SubscriberRow = typeof subscribers.$inferSelect;

export interface MembershipView {
  listId: string;
  listName: string;
  status: "unconfirmed" | "confirmed" | "unsubscribed";
  source: ConsentSource;
  ip: string | null;
  userAgent: string | null;
  consentedAt: Date;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
}

export type SubscriberDetail = SubscriberRow & { lists: MembershipView[]; suppressed: boolean };

/** Double opt-in lists a subscriber was just added to unconfirmed: the caller mails confirmations. */
export interface PendingConfirmation {
  subscriber: { id: string; email: string };
  listIds: string[];
}

/** How consent arrived, from who is acting: people in the dashboard are `admin`, keys are `api`. */
const sourceOf = (actor: Actor): ConsentSource => (actor.type === "api_key" ? "api" : "admin");

function validEmail(raw: string): string {
  const r = checkEmail(raw);
  if (!r.ok)
    throw new AppError("validation_failed", `Invalid email: ${r.reason}`, [
      { path: ["email"], message: r.reason },
    ]);
  return r.email;
}

/** Escapes LIKE metacharacters so user text is matched literally. */
const likePrefix = (text: string) => `${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** The conditions of the list filters (`listId`, `segmentId`, `status`, `q`); 400 for an unknown segment. */
export async function filtersOf(
  db: Database,
  q: Pick<SubscriberQuery, "listId" | "segmentId" | "status" | "q">,
): Promise<SQL[]> {
  const where: SQL[] = [];
  if (q.status) where.push(eq(subscribers.status, q.status));
  if (q.listId) {
    where.push(
      sql`exists (select 1 from ${listMemberships} m where m.subscriber_id = ${subscribers.id}
        and m.list_id = ${q.listId} and m.status <> 'unsubscribed')`,
    );
  }
  if (q.segmentId) {
    const [segment] = await db
      .select({ rules: segments.rules })
      .from(segments)
      .where(eq(segments.id, q.segmentId));
    if (!segment)
      throw new AppError("validation_failed", "Unknown segment", [
        { path: ["segmentId"], message: "no such segment" },
      ]);
    where.push(await compileSegment(db, segment.rules));
  }
  if (q.q) {
    const p = likePrefix(q.q);
    where.push(sql`(lower(${subscribers.email}) like ${p} or lower(${subscribers.name}) like ${p})`);
  }
  return where;
}

/**
 * One page of subscribers: newest first by id (UUIDv7 ids are time-ordered), or in the requested
 * `sort` and `order`, keyset-paginated either way (`subscriber-sort.ts`).
 */
export async function listSubscribers(db: Database, q: SubscriberQuery): Promise<Page<SubscriberRow>> {
  const keyset = subscriberKeyset(q);
  const where = await filtersOf(db, q);
  const rows = await db
    .select({ ...getTableColumns(subscribers), sortKey: keyset.text })
    .from(subscribers)
    .where(and(...where, keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(q.limit + 1);
  const [total] = await db
    .select({ n: count() })
    .from(subscribers)
    .where(and(...where));
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    data: page.map(({ sortKey: _key, ...row }) => row),
    nextCursor: rows.length > q.limit && last ? keyset.cursorFor(last) : null,
    total: total?.n,
  };
}

async function membershipsOf(db: Database, subscriberId: string): Promise<MembershipView[]> {
  return db
    .select({
      listId: listMemberships.listId,
      listName: lists.name,
      status: listMemberships.status,
      source: listMemberships.source,
      ip: listMemberships.ip,
      userAgent: listMemberships.userAgent,
      consentedAt: listMemberships.consentedAt,
      confirmedAt: listMemberships.confirmedAt,
      unsubscribedAt: listMemberships.unsubscribedAt,
    })
    .from(listMemberships)
    .innerJoin(lists, eq(lists.id, listMemberships.listId))
    .where(eq(listMemberships.subscriberId, subscriberId))
    .orderBy(lists.name);
}

export async function getSubscriber(db: Database, id: string): Promise<SubscriberDetail> {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.id, id));
  if (!row) throw NotFoundError("Subscriber");
  return { ...row, lists: await membershipsOf(db, id), suppressed: await isSuppressed(db, row.email) };
}

/**
 * Adds memberships with a consent record. Single opt-in lists (and `preconfirm`) are confirmed at
 * once; double opt-in lists start unconfirmed and are returned so the caller mails a confirmation.
 * An existing membership keeps its consent history; an unsubscribed one is re-opened.
 */
async function addMemberships(
  tx: Database,
  actor: Actor,
  subscriberId: string,
  listIds: string[],
  preconfirm: boolean,
): Promise<string[]> {
  const rows = await assertListsOpen(tx, listIds);
  const pending: string[] = [];
  for (const list of rows) {
    const confirmNow = list.optIn === "single" || preconfirm;
    const inserted = await tx
      .insert(listMemberships)
      .values({
        listId: list.id,
        subscriberId,
        status: confirmNow ? "confirmed" : "unconfirmed",
        source: sourceOf(actor),
        ip: actor.ip,
        userAgent: actor.userAgent?.slice(0, 500) ?? null,
        confirmedAt: confirmNow && list.optIn === "double" ? new Date() : null,
      })
      .onConflictDoUpdate({
        target: [listMemberships.listId, listMemberships.subscriberId],
        // Re-subscribing an unsubscribed member: a fresh consent; others are left as they are.
        set: {
          status: sql`case when ${listMemberships.status} = 'unsubscribed' then excluded.status else ${listMemberships.status} end`,
          source: sql`case when ${listMemberships.status} = 'unsubscribed' then excluded.source else ${listMemberships.source} end`,
          consentedAt: sql`case when ${listMemberships.status} = 'unsubscribed' then now() else ${listMemberships.consentedAt} end`,
          unsubscribedAt: sql`case when ${listMemberships.status} = 'unsubscribed' then null else ${listMemberships.unsubscribedAt} end`,
        },
      })
      .returning({ status: listMemberships.status });
    if (inserted[0]?.status === "unconfirmed" && !confirmNow) pending.push(list.id);
  }
  return pending;
}

export async function createSubscriber(
  { db, actor, queues }: DomainContext,
  input: CreateSubscriber,
): Promise<{ subscriber: SubscriberDetail; pending: PendingConfirmation | null }> {
  const email = validEmail(input.email);
  const values = validateFieldValues(await loadFieldDefs(db), input.fields ?? {});
  let pending: PendingConfirmation | null = null;
  let id: string;
  try {
    id = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(subscribers)
        .values({ email, name: input.name ?? null, status: input.status ?? "active", fields: values })
        .returning();
      if (!row) throw new Error("insert returned nothing");
      const waiting = await addMemberships(tx, actor, row.id, input.listIds ?? [], input.preconfirm ?? false);
      if (waiting.length > 0) pending = { subscriber: { id: row.id, email }, listIds: waiting };
      await emitAudit(tx, actor, {
        action: "subscriber.create",
        entity: "subscriber",
        entityId: row.id,
        after: { ...row, listIds: input.listIds ?? [] },
      });
      await emitWebhookEvents({ db: tx, queues }, [
        {
          type: "subscriber.created",
          data: { subscriber: subscriberData(row), listIds: input.listIds ?? [] },
        },
      ]);
      return row.id;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw ConflictError(`A subscriber with the email ${emailKey(email)} already exists`);
    throw err;
  }
  return { subscriber: await getSubscriber(db, id), pending };
}

export async function updateSubscriber(
  { db, actor, queues }: DomainContext,
  id: string,
  input: UpdateSubscriber,
): Promise<SubscriberDetail> {
  const email = input.email !== undefined ? validEmail(input.email) : undefined;
  const defs = await loadFieldDefs(db);
  const changes = input.fields ? validateFieldValues(defs, input.fields) : undefined;
  try {
    await db.transaction(async (tx) => {
      const [before] = await tx.select().from(subscribers).where(eq(subscribers.id, id)).for("update");
      if (!before) throw NotFoundError("Subscriber");
      let merged: Record<string, unknown> | undefined;
      if (changes) {
        merged = { ...before.fields };
        for (const [k, v] of Object.entries(changes)) {
          if (v === null) delete merged[k];
          else merged[k] = v;
        }
      }
      const [after] = await tx
        .update(subscribers)
        .set(
          touch({
            ...(email !== undefined ? { email } : {}),
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.status !== undefined ? { status: input.status } : {}),
            ...(merged !== undefined ? { fields: merged } : {}),
          }),
        )
        .where(eq(subscribers.id, id))
        .returning();
      await emitAudit(tx, actor, {
        action: "subscriber.update",
        entity: "subscriber",
        entityId: id,
        before,
        after,
      });
      if (after) await emitSubscriberChange({ db: tx, queues }, before, after);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw ConflictError("Another subscriber already has that email");
    throw err;
  }
  return getSubscriber(db, id);
}

export async function changeMemberships(
  { db, actor, queues }: DomainContext,
  id: string,
  input: MembershipChange,
): Promise<{ subscriber: SubscriberDetail; pending: PendingConfirmation | null }> {
  let pending: PendingConfirmation | null = null;
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(subscribers).where(eq(subscribers.id, id)).for("update");
    if (!row) throw NotFoundError("Subscriber");
    const waiting = await addMemberships(tx, actor, id, input.add ?? [], input.preconfirm ?? false);
    if (waiting.length > 0) pending = { subscriber: { id, email: row.email }, listIds: waiting };
    if (input.remove?.length) {
      await tx
        .update(listMemberships)
        .set({ status: "unsubscribed", unsubscribedAt: new Date() })
        .where(
          and(
            eq(listMemberships.subscriberId, id),
            inArray(listMemberships.listId, input.remove),
            sql`${listMemberships.status} <> 'unsubscribed'`,
          ),
        );
    }
    await emitAudit(tx, actor, {
      action: "subscriber.lists",
      entity: "subscriber",
      entityId: id,
      after: { add: input.add ?? [], remove: input.remove ?? [] },
    });
    await emitWebhookEvents({ db: tx, queues }, [
      {
        type: "list.membership_changed",
        data: { subscriber: subscriberData(row), added: input.add ?? [], removed: input.remove ?? [] },
      },
    ]);
  });
  return { subscriber: await getSubscriber(db, id), pending };
}

/** A subscriber as outgoing webhooks describe one. */
export const subscriberData = (row: {
  id: string;
  email: string;
  name: string | null;
  status: string;
  fields?: unknown;
}) => ({ id: row.id, email: row.email, name: row.name, status: row.status, fields: row.fields ?? {} });

/** `subscriber.updated`, and `subscriber.unsubscribed` when the change made an active one unsubscribed. */
async function emitSubscriberChange(
  ctx: Pick<DomainContext, "db" | "queues">,
  before: typeof subscribers.$inferSelect,
  after: typeof subscribers.$inferSelect,
): Promise<void> {
  const events: WebhookEvent[] = [
    { type: "subscriber.updated", data: { subscriber: subscriberData(after) } },
  ];
  if (before.status !== "unsubscribed" && after.status === "unsubscribed")
    events.push({
      type: "subscriber.unsubscribed",
      data: { subscriber: subscriberData(after), scope: "all" },
    });
  await emitWebhookEvents(ctx, events);
}

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { events } from "../../schema/events";
import { listMemberships, lists } from "../../schema/lists";
import { sends } from "../../schema/sends";
import { subscribers } from "../../schema/subscribers";
import { suppressions } from "../../schema/suppressions";
import { emailHash } from "../../workers/domain/audience/email";
import { bounceToken } from "../../workers/lib/bounce-token";
import { type Database, type DbConnection, openDb } from "../../workers/lib/db";
import { stack } from "./api";
import { type SnsDouble, startSnsDouble } from "./webhook-doubles";

/**
 * The webhook suites' shared data on the shared stack's database: a list of the suite's own,
 * recipients on it with one send each (as if a message had gone out), and what a notice changed
 * for each of them. Each suite calls `useWebhookLedger()` once at its top.
 */

/** This run's mark on every address and Message-ID, so that runs never meet. */
export const tag = Math.random().toString(36).slice(2, 7);
let conn: DbConnection | undefined;
let listId = "";

/** Opens the suite's connection and list before its tests, and closes it after. */
export function useWebhookLedger(): void {
  beforeAll(async () => {
    conn = openDb(stack().databaseUrl);
    const [list] = await conn.db
      .insert(lists)
      .values({ name: `webhooks ${tag}`, optIn: "single" })
      .returning();
    listId = list?.id ?? "";
  });
  afterAll(async () => {
    await conn?.close();
  });
}

/** The SNS double (certificate host and SubscribeURL) of a suite, started before its tests. */
export function useSnsDouble(): () => SnsDouble {
  let sns: SnsDouble | undefined;
  beforeAll(async () => {
    sns = await startSnsDouble();
  });
  afterAll(async () => {
    await sns?.stop();
  });
  return () => {
    if (!sns) throw new Error("the SNS double is not started: use it inside a test");
    return sns;
  };
}

/** The suite's database handle (inside its tests). */
export function db(): Database {
  if (!conn) throw new Error("call useWebhookLedger() at the top of the suite");
  return conn.db;
}

let seq = 0;
/** A number no other call in this suite gets: for addresses and providers' event ids. */
export const nextSeq = () => seq++;

/** A subscriber on the suite's list and one send to them, as if a message had gone out. */
export async function sentTo(name: string) {
  const email = `${name}-${tag}-${nextSeq()}@example.org`;
  const [sub] = await db().insert(subscribers).values({ email, name }).returning();
  if (!sub) throw new Error("no subscriber");
  await db()
    .insert(listMemberships)
    .values({ listId, subscriberId: sub.id, status: "confirmed", source: "admin" });
  const messageId = `${tag}.${Math.random().toString(36).slice(2)}@news.example.com`;
  const [send] = await db()
    .insert(sends)
    .values({ subscriberId: sub.id, email, status: "sent", attempts: 1, sentAt: new Date(), messageId })
    .returning();
  if (!send) throw new Error("no send");
  const token = await bounceToken(stack().secrets.TRACKING_SECRET ?? "", send.id);
  return { email, sub, send, messageId, bounceAddress: `bounces+${token}@news.example.com` };
}
export type Sent = Awaited<ReturnType<typeof sentTo>>;

/** What the rules may have changed for one recipient. */
export async function stateOf(t: Sent) {
  const [send] = await db().select().from(sends).where(eq(sends.id, t.send.id));
  const [sub] = await db().select().from(subscribers).where(eq(subscribers.id, t.sub.id));
  const [member] = await db()
    .select()
    .from(listMemberships)
    .where(and(eq(listMemberships.listId, listId), eq(listMemberships.subscriberId, t.sub.id)));
  const [suppression] = await db()
    .select()
    .from(suppressions)
    .where(eq(suppressions.emailHash, await emailHash(t.email)));
  const recorded = await db()
    .select({ kind: events.kind, dedupeKey: events.dedupeKey, sendId: events.sendId })
    .from(events)
    .where(eq(events.subscriberId, t.sub.id));
  return {
    sendStatus: send?.status,
    lastEnhanced: send?.lastEnhanced,
    subscriber: sub?.status,
    membership: member?.status,
    suppressed: suppression?.reason ?? null,
    events: recorded,
  };
}

/** A recipient's state when a notice changed nothing. */
export const untouched = {
  sendStatus: "sent",
  subscriber: "active",
  membership: "confirmed",
  suppressed: null,
  events: [],
};

/** Posts a notice to `/webhooks/:provider` of the shared stack (or of `base`). */
export async function post(
  provider: string,
  body: string,
  headers: Record<string, string>,
  base = stack().baseUrl,
) {
  const res = await fetch(`${base}/webhooks/${provider}`, { method: "POST", headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

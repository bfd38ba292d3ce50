import { eq, sql } from "drizzle-orm";
import { sends } from "../../schema/sends";
import { type BounceRecipient, type Classification, classifyMessage } from "../bounce/classify";
import { systemActor } from "../domain/actor";
import { unsubscribe } from "../domain/audience/subscriptions/unsubscribe";
import {
  type BounceInput,
  type ComplaintInput,
  concernsSend,
  recordBounces,
  recordComplaints,
} from "../domain/bounces/rules";
import type { Env } from "../env";
import { readBounceAddress } from "../lib/bounce-token";
import { type Database, openDbFor } from "../lib/db";

/** Mail larger than this is not a bounce worth reading (DSNs are small; it is also Workers' limit). */
const MAX_RAW_BYTES = 25 * 1024 * 1024;

type SendRow = typeof sends.$inferSelect;

export interface InboundOutcome {
  kind: Classification["kind"] | "unsubscribe" | "unknown";
  sendId: number | null;
  bounces: number;
  complaints: number;
}

/**
 * The Worker's `email()` handler: mail to the bounce domain. The signed Return-Path token
 * (`bounces+<token>@…`) names the send, so a bounce is matched without trusting its content;
 * without one, the original Message-ID it quotes is tried. Either way a notice acts on that
 * send's own address only, whatever other recipients it lists. DSNs and ARF reports go through the
 * classifier and then the one set of bounce and complaint rules; a message asking to unsubscribe
 * (the mailto of List-Unsubscribe) unsubscribes; auto-replies and other mail are dropped.
 */
export async function handleEmail(message: ForwardableEmailMessage, env: Env): Promise<InboundOutcome> {
  if (message.rawSize > MAX_RAW_BYTES) {
    message.setReject("Message too large for the bounce address");
    return { kind: "unknown", sendId: null, bounces: 0, complaints: 0 };
  }
  const raw = new Uint8Array(await new Response(message.raw).arrayBuffer());
  const conn = openDbFor(env);
  try {
    return await processInbound(conn.db, env, raw, {
      from: message.from,
      to: message.to,
      subject: message.headers.get("subject") ?? "",
    });
  } finally {
    await conn.close();
  }
}

/** The handler's work, apart from the runtime's message object (so it can be tested directly). */
export async function processInbound(
  db: Database,
  env: Env,
  raw: Uint8Array,
  envelope: { from: string; to: string; subject: string },
): Promise<InboundOutcome> {
  const verdict = await classifyMessage(raw, { from: envelope.from, to: envelope.to });
  const send = await findSend(db, env, [envelope.to, ...verdict.deliveredTo], verdict.originalMessageId);
  const base = { sendId: send?.id ?? null, bounces: 0, complaints: 0 };
  if (verdict.kind === "not-bounce") {
    const unsubscribed = send ? await mailtoUnsubscribe(db, send, envelope) : false;
    return { ...base, kind: unsubscribed ? "unsubscribe" : "not-bounce" };
  }
  // A notice we cannot tie to one of our sends (a signed token or a Message-ID of ours) changes
  // nothing: otherwise anyone could get any address suppressed by mailing a forged bounce.
  if (!send) return { ...base, kind: verdict.kind };
  // The notice acts on its send's address only: other recipients it lists are ignored, since a
  // recipient can mail a notice to their own bounce address naming anyone (concernsSend).
  const own = verdict.recipients.filter((r) => concernsSend(send.email, r.email));
  const others = verdict.recipients.length - own.length;
  if (others > 0) {
    console.warn(
      `inbound: a ${verdict.kind} notice for send ${send.id} names ${others} other address(es); ignored`,
    );
  }
  if (verdict.kind === "complaint") {
    return { ...base, kind: "complaint", complaints: await recordComplaint(db, send, own) };
  }
  return { ...base, kind: "bounce", bounces: await recordBounce(db, send, own) };
}

/** A mail to the List-Unsubscribe mailto ("unsubscribe" as its subject) unsubscribes the send's subscriber. */
async function mailtoUnsubscribe(
  db: Database,
  send: SendRow,
  envelope: { from: string; subject: string },
): Promise<boolean> {
  if (!send.subscriberId || !/^\s*unsubscribe\b/i.test(envelope.subject)) return false;
  await unsubscribe(
    { db, actor: { ...systemActor("mailto-unsubscribe"), type: "public", label: envelope.from } },
    { subscriberId: send.subscriberId, ...(send.campaignId ? { campaignId: send.campaignId } : {}) },
  );
  return true;
}

/** What a bounce or complaint records of its send. */
function sendLink(send: SendRow) {
  return {
    email: send.email.toLowerCase(),
    sendId: send.id,
    campaignId: send.campaignId,
    variantId: send.variantId,
    subscriberId: send.subscriberId,
    occurredAt: new Date(),
  };
}

/** Records the send's complaint, when the report names its address; the number recorded. */
async function recordComplaint(db: Database, send: SendRow, own: BounceRecipient[]): Promise<number> {
  const [r] = own;
  if (!r) return 0;
  const item: ComplaintInput = {
    ...sendLink(send),
    feedbackType: r.feedbackType ?? "abuse",
    source: "arf",
    dedupeKey: `complaint:${send.id}`,
  };
  return recordComplaints(db, [item]);
}

/** Records the send's bounce, when the notice reports a failure for its address; the number recorded. */
async function recordBounce(db: Database, send: SendRow, own: BounceRecipient[]): Promise<number> {
  // Only failures count: delayed (still trying), delivered and relayed notices change nothing.
  // The send has one recipient, so one failure is its bounce (the dedupe key is per send anyway).
  const r = own.find(
    (f) =>
      f.action !== "delayed" &&
      f.action !== "delivered" &&
      f.action !== "relayed" &&
      f.reason !== "delivered" &&
      f.reason !== "vacation",
  );
  if (!r) return 0;
  const item: BounceInput = {
    ...sendLink(send),
    hard: r.hard,
    status: r.status,
    reason: r.reason,
    diagnostic: r.diagnostic,
    source: "dsn",
    dedupeKey: `bounce:${send.id}`,
  };
  return recordBounces(db, [item]);
}

/** Our send, by a signed bounce address among the recipients, else by the quoted Message-ID. */
async function findSend(
  db: Database,
  env: Env,
  addresses: string[],
  messageId?: string,
): Promise<SendRow | null> {
  for (const address of addresses) {
    const id = await readBounceAddress(env.TRACKING_SECRET, address);
    if (id) {
      const [row] = await db.select().from(sends).where(eq(sends.id, id));
      if (row) return row;
    }
  }
  if (!messageId) return null;
  const [row] = await db
    .select()
    .from(sends)
    .where(sql`${sends.messageId} = ${messageId.replace(/^<|>$/g, "")}`)
    .limit(1);
  return row ?? null;
}

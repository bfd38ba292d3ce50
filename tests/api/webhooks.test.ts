import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events } from "../../schema/events";
import { listMemberships, lists } from "../../schema/lists";
import { sends } from "../../schema/sends";
import { subscribers } from "../../schema/subscribers";
import { suppressions } from "../../schema/suppressions";
import { type RunningWorker, startWorker } from "../../scripts/lib/worker";
import { emailHash } from "../../workers/domain/audience/email";
import { bounceToken } from "../../workers/lib/bounce-token";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { stack } from "../support/api";
import {
  genericHeaders,
  mailgunSignature,
  postmarkAuth,
  type SnsDouble,
  sendgridHeaders,
  startSnsDouble,
} from "../support/webhook-doubles";
import { WEBHOOK_TEST } from "../support/webhook-fixtures";

/** POST /webhooks/:provider: relay notifications, each signed its provider's way. */

const tag = Math.random().toString(36).slice(2, 7);
let conn: DbConnection;
let listId: string;
let sns: SnsDouble;

beforeAll(async () => {
  conn = openDb(stack().databaseUrl);
  const [list] = await conn.db
    .insert(lists)
    .values({ name: `webhooks ${tag}`, optIn: "single" })
    .returning();
  listId = list?.id ?? "";
  sns = await startSnsDouble();
});
afterAll(async () => {
  await sns.stop();
  await conn.close();
});

let seq = 0;
/** A subscriber on the suite's list and one send to them, as if a message had gone out. */
async function sentTo(name: string) {
  const email = `${name}-${tag}-${seq++}@example.org`;
  const [sub] = await conn.db.insert(subscribers).values({ email, name }).returning();
  if (!sub) throw new Error("no subscriber");
  await conn.db
    .insert(listMemberships)
    .values({ listId, subscriberId: sub.id, status: "confirmed", source: "admin" });
  const messageId = `${tag}.${Math.random().toString(36).slice(2)}@news.example.com`;
  const [send] = await conn.db
    .insert(sends)
    .values({ subscriberId: sub.id, email, status: "sent", attempts: 1, sentAt: new Date(), messageId })
    .returning();
  if (!send) throw new Error("no send");
  const token = await bounceToken(stack().secrets.TRACKING_SECRET ?? "", send.id);
  return { email, sub, send, messageId, bounceAddress: `bounces+${token}@news.example.com` };
}
type Sent = Awaited<ReturnType<typeof sentTo>>;

/** What the rules may have changed for one recipient. */
async function stateOf(t: Sent) {
  const [send] = await conn.db.select().from(sends).where(eq(sends.id, t.send.id));
  const [sub] = await conn.db.select().from(subscribers).where(eq(subscribers.id, t.sub.id));
  const [member] = await conn.db
    .select()
    .from(listMemberships)
    .where(and(eq(listMemberships.listId, listId), eq(listMemberships.subscriberId, t.sub.id)));
  const [suppression] = await conn.db
    .select()
    .from(suppressions)
    .where(eq(suppressions.emailHash, await emailHash(t.email)));
  const recorded = await conn.db
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

const untouched = {
  sendStatus: "sent",
  subscriber: "active",
  membership: "confirmed",
  suppressed: null,
  events: [],
};

async function post(provider: string, body: string, headers: Record<string, string>, base = stack().baseUrl) {
  const res = await fetch(`${base}/webhooks/${provider}`, { method: "POST", headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

describe("ses (Amazon SNS)", () => {
  const topic = WEBHOOK_TEST.sesTopicArn;
  const envelope = (message: unknown, extra: Record<string, string> = {}) => ({
    Type: "Notification",
    MessageId: crypto.randomUUID(),
    TopicArn: topic,
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    UnsubscribeURL: `${sns.url}/unsubscribe`,
    ...extra,
  });
  const bounceMessage = (t: Sent, bounceType: string, status: string, diagnostic: string) => ({
    notificationType: "Bounce",
    bounce: {
      feedbackId: `fb-${crypto.randomUUID()}`,
      bounceType,
      bounceSubType: bounceType === "Permanent" ? "General" : "MailboxFull",
      bouncedRecipients: [{ emailAddress: t.email, action: "failed", status, diagnosticCode: diagnostic }],
      timestamp: new Date().toISOString(),
    },
    mail: {
      source: t.bounceAddress,
      messageId: "0100018c-ses-own-id",
      destination: [t.email],
      headers: [{ name: "Message-ID", value: `<${t.messageId}>` }],
      commonHeaders: { messageId: `<${t.messageId}>` },
    },
  });
  const postSns = (m: Record<string, string>) =>
    post("ses", JSON.stringify(m), {
      "content-type": "text/plain; charset=UTF-8",
      "x-amz-sns-message-type": m.Type ?? "",
    });

  it("confirms a subscription to an allowed topic by visiting its SubscribeURL", async () => {
    const token = `tok-${tag}`;
    const m = sns.sign({
      Type: "SubscriptionConfirmation",
      MessageId: crypto.randomUUID(),
      Token: token,
      TopicArn: topic,
      Message: `You have chosen to subscribe to the topic ${topic}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: `${sns.url}/confirm?Action=ConfirmSubscription&Token=${token}`,
      Timestamp: new Date().toISOString(),
    });
    const res = await postSns(m);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ ok: true, subscribed: true });
    expect(sns.confirmations).toContain(`/confirm?Action=ConfirmSubscription&Token=${token}`);
  });

  it("refuses a validly signed confirmation for a topic that is not ours, and visits nothing", async () => {
    const before = sns.confirmations.length;
    const other = "arn:aws:sns:us-east-1:999999999999:someone-else";
    const m = sns.sign({
      Type: "SubscriptionConfirmation",
      MessageId: crypto.randomUUID(),
      Token: "t",
      TopicArn: other,
      Message: "You have chosen to subscribe",
      SubscribeURL: `${sns.url}/confirm?Token=other`,
      Timestamp: new Date().toISOString(),
    });
    const res = await postSns(m);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
    expect(sns.confirmations.length).toBe(before);
  });

  it("a Permanent bounce (SignatureVersion 1) suppresses the subscriber and marks the send bounced", async () => {
    const t = await sentTo("ses-hard");
    const m = sns.sign(envelope(bounceMessage(t, "Permanent", "5.1.1", "smtp; 550 5.1.1 user unknown")), "1");
    const res = await postSns(m);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ok: true, bounces: 1, complaints: 0, ignored: 0, duplicates: 0 });
    const s = await stateOf(t);
    expect(s).toMatchObject({
      sendStatus: "bounced",
      lastEnhanced: "5.1.1",
      subscriber: "bounced",
      suppressed: "bounce",
    });
    expect(s.events).toEqual([expect.objectContaining({ kind: "bounce", sendId: t.send.id })]);

    // SNS redelivers the same message on a timeout: nothing changes the second time.
    const again = await postSns(m);
    expect(again.body).toMatchObject({ ok: true, bounces: 1, duplicates: 1 });
    expect((await stateOf(t)).events).toHaveLength(1);
  });

  it("a complaint (SignatureVersion 2, matched by Message-ID) suppresses and unsubscribes", async () => {
    const t = await sentTo("ses-complaint");
    const message = {
      notificationType: "Complaint",
      complaint: {
        feedbackId: `fb-${crypto.randomUUID()}`,
        complainedRecipients: [{ emailAddress: t.email }],
        complaintFeedbackType: "abuse",
        timestamp: new Date().toISOString(),
      },
      mail: { source: "news@example.com", headers: [{ name: "Message-ID", value: `<${t.messageId}>` }] },
    };
    const res = await postSns(
      sns.sign(envelope(message, { Subject: "Amazon SES Email Event Notification" })),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ complaints: 1, bounces: 0 });
    const s = await stateOf(t);
    expect(s).toMatchObject({
      subscriber: "complained",
      membership: "unsubscribed",
      suppressed: "complaint",
    });
    expect(s.events).toEqual([expect.objectContaining({ kind: "complaint", sendId: t.send.id })]);
  });

  it("a notice about one recipient's message affects that recipient only, whoever else it names", async () => {
    const owner = await sentTo("ses-owner");
    const victim = await sentTo("ses-victim");
    // Matched by our bounce address (mail.source): the victim listed beside the owner is ignored.
    const both = bounceMessage(owner, "Permanent", "5.1.1", "smtp; 550 5.1.1 user unknown");
    both.bounce.bouncedRecipients.push({
      emailAddress: victim.email,
      action: "failed",
      status: "5.1.1",
      diagnosticCode: "smtp; 550 5.1.1 user unknown",
    });
    const res = await postSns(sns.sign(envelope(both)));
    expect(res.body).toEqual({ ok: true, bounces: 1, complaints: 0, ignored: 1, duplicates: 0 });
    expect(await stateOf(owner)).toMatchObject({ sendStatus: "bounced", suppressed: "bounce" });
    expect(await stateOf(victim)).toMatchObject(untouched);
    // Matched by our Message-ID, naming only the victim: nothing happens.
    const complaint = {
      notificationType: "Complaint",
      complaint: {
        feedbackId: `fb-${crypto.randomUUID()}`,
        complainedRecipients: [{ emailAddress: victim.email }],
        complaintFeedbackType: "abuse",
      },
      mail: { source: "news@example.com", headers: [{ name: "Message-ID", value: `<${owner.messageId}>` }] },
    };
    const again = await postSns(sns.sign(envelope(complaint)));
    expect(again.body).toEqual({ ok: true, bounces: 0, complaints: 0, ignored: 1, duplicates: 0 });
    expect(await stateOf(victim)).toMatchObject(untouched);
  });

  it("a Transient bounce is soft: recorded, not suppressed", async () => {
    const t = await sentTo("ses-soft");
    const res = await postSns(
      sns.sign(envelope(bounceMessage(t, "Transient", "4.2.2", "smtp; 452 4.2.2 mailbox full"))),
    );
    expect(res.body).toMatchObject({ bounces: 1 });
    const s = await stateOf(t);
    expect(s).toMatchObject({ subscriber: "active", suppressed: null, membership: "confirmed" });
    expect(s.events).toHaveLength(1);
  });

  it("ignores Delivery notifications", async () => {
    const t = await sentTo("ses-delivered");
    const message = {
      notificationType: "Delivery",
      mail: { source: t.bounceAddress },
      delivery: { recipients: [t.email] },
    };
    const res = await postSns(sns.sign(envelope(message)));
    expect(res.body).toEqual({ ok: true, bounces: 0, complaints: 0, ignored: 1, duplicates: 0 });
    expect(await stateOf(t)).toMatchObject(untouched);
  });

  it("refuses an altered message, a certificate of another key and a disallowed certificate host", async () => {
    const t = await sentTo("ses-forged");
    const signed = sns.sign(envelope(bounceMessage(t, "Permanent", "5.1.1", "550 5.1.1 user unknown")));
    const altered = { ...signed, Message: signed.Message?.replace("Permanent", "Permanent ") ?? "" };
    const wrongCert = { ...signed, SigningCertURL: sns.otherCertUrl };
    const badHost = sns.sign(
      envelope(bounceMessage(t, "Permanent", "5.1.1", "x")),
      "2",
      sns.certUrl.replace("127.0.0.1", "localhost"),
    );
    const unsigned: Record<string, string> = { ...signed };
    delete unsigned.Signature;
    for (const m of [altered, wrongCert, badHost, unsigned]) {
      const res = await postSns(m);
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    expect(await stateOf(t)).toMatchObject(untouched);
  });
});

describe("postmark", () => {
  const bounce = (t: Sent, type: string, details: string, extra: Record<string, unknown> = {}) =>
    // Postmark's IDs exceed 2^53: written as a literal so JSON keeps all the digits.
    `{"RecordType":"Bounce","ID":${4323372036854775000n + BigInt(seq++)},"Type":"${type}","TypeCode":1,` +
    `"MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","Email":"${t.email}","From":"news@example.com",` +
    `"BouncedAt":"${new Date().toISOString()}","Details":${JSON.stringify(details)},"Description":"The server was unable to deliver your message",` +
    `"MessageStream":"outbound"${Object.keys(extra).length ? `,${JSON.stringify(extra).slice(1, -1)}` : ""}}`;
  const headers = (auth = postmarkAuth()) => ({ "content-type": "application/json", authorization: auth });

  it("a HardBounce, matched by the latest send to the address, suppresses and marks the send bounced", async () => {
    const t = await sentTo("pm-hard");
    const body = bounce(
      t,
      "HardBounce",
      "smtp;550 5.1.1 The email account that you tried to reach does not exist",
    );
    const res = await post("postmark", body, headers());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ok: true, bounces: 1, complaints: 0, ignored: 0, duplicates: 0 });
    const s = await stateOf(t);
    expect(s).toMatchObject({ sendStatus: "bounced", subscriber: "bounced", suppressed: "bounce" });
    expect(s.events).toEqual([expect.objectContaining({ kind: "bounce", sendId: t.send.id })]);

    const again = await post("postmark", body, headers());
    expect(again.body).toMatchObject({ bounces: 1, duplicates: 1 });
    expect((await stateOf(t)).events).toHaveLength(1);
  });

  it("matches by the original's Message-ID header when Postmark includes it", async () => {
    const t = await sentTo("pm-header");
    const newer = await conn.db
      .insert(sends)
      .values({
        subscriberId: t.sub.id,
        email: t.email,
        status: "sent",
        attempts: 1,
        sentAt: new Date(),
        messageId: `newer.${tag}@x`,
      })
      .returning();
    const body = bounce(t, "HardBounce", "550 5.1.1 user unknown", {
      Headers: [{ Name: "Message-ID", Value: `<${t.messageId}>` }],
    });
    expect((await post("postmark", body, headers())).status).toBe(200);
    const s = await stateOf(t);
    expect(s.events).toEqual([expect.objectContaining({ sendId: t.send.id })]);
    expect(newer[0]?.id).not.toBe(t.send.id);
  });

  it("a SpamComplaint suppresses and unsubscribes", async () => {
    const t = await sentTo("pm-complaint");
    const body = JSON.stringify({
      RecordType: "SpamComplaint",
      ID: 42 + seq++,
      Type: "SpamComplaint",
      TypeCode: 512,
      Email: t.email,
      BouncedAt: new Date().toISOString(),
      MessageStream: "outbound",
    });
    const res = await post("postmark", body, headers());
    expect(res.body).toMatchObject({ complaints: 1 });
    expect(await stateOf(t)).toMatchObject({
      subscriber: "complained",
      membership: "unsubscribed",
      suppressed: "complaint",
    });
  });

  it("ignores a record about one recipient's message (its Message-ID) that names another address", async () => {
    const owner = await sentTo("pm-owner");
    const victim = await sentTo("pm-victim");
    const body = bounce(victim, "HardBounce", "550 5.1.1 user unknown", {
      Headers: [{ Name: "Message-ID", Value: `<${owner.messageId}>` }],
    });
    const res = await post("postmark", body, headers());
    expect(res.body).toEqual({ ok: true, bounces: 0, complaints: 0, ignored: 1, duplicates: 0 });
    expect(await stateOf(victim)).toMatchObject(untouched);
    expect(await stateOf(owner)).toMatchObject(untouched);
  });

  it("ignores a Transient (delayed, still retrying) record", async () => {
    const t = await sentTo("pm-transient");
    const res = await post("postmark", bounce(t, "Transient", "Message delayed"), headers());
    expect(res.body).toMatchObject({ bounces: 0, ignored: 1 });
    expect(await stateOf(t)).toMatchObject(untouched);
  });

  it("refuses missing or wrong credentials with 401 and changes nothing", async () => {
    const t = await sentTo("pm-forged");
    const body = bounce(t, "HardBounce", "550 5.1.1 user unknown");
    for (const h of [
      { "content-type": "application/json" },
      headers(postmarkAuth(WEBHOOK_TEST.postmarkUser, "wrong password")),
      headers(postmarkAuth("someone", WEBHOOK_TEST.postmarkPassword)),
      headers(`Bearer ${WEBHOOK_TEST.postmarkPassword}`),
    ]) {
      const res = await post("postmark", body, h);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    expect(await stateOf(t)).toMatchObject(untouched);
  });
});

describe("sendgrid", () => {
  const event = (t: Sent, e: Record<string, unknown>) => ({
    email: t.email,
    timestamp: Math.floor(Date.now() / 1000),
    "smtp-id": `<${t.messageId}>`,
    sg_event_id: `ev-${crypto.randomUUID()}`,
    sg_message_id: "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
    ...e,
  });

  it("a batch: bounce and spamreport recorded, delivered and deferred ignored; a retry changes nothing", async () => {
    const hard = await sentTo("sg-hard");
    const complaint = await sentTo("sg-complaint");
    const delayed = await sentTo("sg-deferred");
    const body = JSON.stringify([
      event(hard, { event: "delivered", response: "250 OK" }),
      event(delayed, { event: "deferred", response: "450 4.2.2 mailbox full", attempt: "3" }),
      event(hard, { event: "bounce", type: "bounce", status: "5.1.1", reason: "550 5.1.1 user unknown" }),
      event(complaint, { event: "spamreport" }),
    ]);
    const res = await post("sendgrid", body, sendgridHeaders(body));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ok: true, bounces: 1, complaints: 1, ignored: 2, duplicates: 0 });
    expect(await stateOf(hard)).toMatchObject({
      sendStatus: "bounced",
      subscriber: "bounced",
      suppressed: "bounce",
    });
    expect(await stateOf(complaint)).toMatchObject({ subscriber: "complained", membership: "unsubscribed" });
    expect(await stateOf(delayed)).toMatchObject(untouched);

    const again = await post("sendgrid", body, sendgridHeaders(body));
    expect(again.body).toMatchObject({ duplicates: 2 });
    expect((await stateOf(hard)).events).toHaveLength(1);
    expect((await stateOf(complaint)).events).toHaveLength(1);
  });

  it("ignores events about one recipient's message (smtp-id) that name another address", async () => {
    const owner = await sentTo("sg-owner");
    const victim = await sentTo("sg-victim");
    const smtpId = `<${owner.messageId}>`;
    const body = JSON.stringify([
      event(victim, {
        event: "bounce",
        type: "bounce",
        status: "5.1.1",
        reason: "550 user unknown",
        "smtp-id": smtpId,
      }),
      event(victim, { event: "spamreport", "smtp-id": smtpId }),
    ]);
    const res = await post("sendgrid", body, sendgridHeaders(body));
    expect(res.body).toEqual({ ok: true, bounces: 0, complaints: 0, ignored: 2, duplicates: 0 });
    expect(await stateOf(victim)).toMatchObject(untouched);
    expect(await stateOf(owner)).toMatchObject(untouched);
  });

  it("a blocked bounce is soft", async () => {
    const t = await sentTo("sg-blocked");
    const body = JSON.stringify([
      event(t, { event: "bounce", type: "blocked", status: "5.7.1", reason: "550 5.7.1 blocked by policy" }),
    ]);
    const res = await post("sendgrid", body, sendgridHeaders(body));
    expect(res.body).toMatchObject({ bounces: 1 });
    expect(await stateOf(t)).toMatchObject({ subscriber: "active", suppressed: null });
  });

  it("refuses a wrong signature, a missing one and a stale timestamp with 401", async () => {
    const t = await sentTo("sg-forged");
    const body = JSON.stringify([
      event(t, { event: "bounce", type: "bounce", status: "5.1.1", reason: "550 user unknown" }),
    ]);
    const other = sendgridHeaders(`${body} `);
    const stale = sendgridHeaders(body, Math.floor(Date.now() / 1000) - 11 * 60);
    for (const h of [other, { "content-type": "application/json" }, stale]) {
      const res = await post("sendgrid", body, h);
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    expect(await stateOf(t)).toMatchObject(untouched);
  });
});

describe("mailgun", () => {
  const failed = (t: Sent, severity: string, code: number, message: string, signature = mailgunSignature()) =>
    JSON.stringify({
      signature,
      "event-data": {
        id: `mg-${crypto.randomUUID()}`,
        event: "failed",
        severity,
        reason: "bounce",
        timestamp: Date.now() / 1000,
        recipient: t.email,
        "delivery-status": { code, message, description: "", "attempt-no": 1 },
        message: { headers: { "message-id": t.messageId, to: t.email } },
        envelope: { sender: "bounce+abc@mg.example.com" },
      },
    });
  const json = { "content-type": "application/json" };

  it("a permanent failure suppresses and marks the send bounced; a retry changes nothing", async () => {
    const t = await sentTo("mg-hard");
    const body = failed(
      t,
      "permanent",
      550,
      "5.1.1 The email account that you tried to reach does not exist",
    );
    const res = await post("mailgun", body, json);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ok: true, bounces: 1, complaints: 0, ignored: 0, duplicates: 0 });
    expect(await stateOf(t)).toMatchObject({
      sendStatus: "bounced",
      subscriber: "bounced",
      suppressed: "bounce",
    });
    // The same event under a new signature (another token) is a duplicate that changes nothing.
    const retry = JSON.stringify({ ...JSON.parse(body), signature: mailgunSignature() });
    const again = await post("mailgun", retry, json);
    expect(again.body).toMatchObject({ duplicates: 1 });
    expect((await stateOf(t)).events).toHaveLength(1);
  });

  it("accepts a signature once: used again, with any event data, it is refused (a replay)", async () => {
    const owner = await sentTo("mg-signed");
    const victim = await sentTo("mg-replay-victim");
    const signature = mailgunSignature();
    const first = failed(owner, "temporary", 452, "4.2.2 mailbox full", signature);
    expect((await post("mailgun", first, json)).status).toBe(200);
    for (const body of [first, failed(victim, "permanent", 550, "5.1.1 no such user", signature)]) {
      const res = await post("mailgun", body, json);
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.body.error).toMatchObject({
        code: "unauthorized",
        message: "Webhook signature already used",
      });
    }
    expect(await stateOf(victim)).toMatchObject(untouched);
  });

  it("ignores an event about one recipient's message that names another address", async () => {
    const owner = await sentTo("mg-owner");
    const victim = await sentTo("mg-victim");
    const forOwnersMessage = (body: string, signature = mailgunSignature()) => {
      const parsed = JSON.parse(body);
      parsed.signature = signature;
      parsed["event-data"].message = { headers: { "message-id": owner.messageId } };
      parsed["event-data"].envelope = { sender: owner.bounceAddress };
      return JSON.stringify(parsed);
    };
    const bounceBody = forOwnersMessage(failed(victim, "permanent", 550, "5.1.1 no such user"));
    const res = await post("mailgun", bounceBody, json);
    expect(res.body).toEqual({ ok: true, bounces: 0, complaints: 0, ignored: 1, duplicates: 0 });
    const complaintBody = forOwnersMessage(
      JSON.stringify({
        "event-data": {
          id: `mg-${crypto.randomUUID()}`,
          event: "complained",
          timestamp: Date.now() / 1000,
          recipient: victim.email,
        },
      }),
    );
    expect((await post("mailgun", complaintBody, json)).body).toMatchObject({ complaints: 0, ignored: 1 });
    expect(await stateOf(victim)).toMatchObject(untouched);
    expect(await stateOf(owner)).toMatchObject(untouched);
  });

  it("a temporary failure changes nothing (Mailgun is still retrying)", async () => {
    const t = await sentTo("mg-temp");
    const res = await post("mailgun", failed(t, "temporary", 452, "4.2.2 mailbox full"), json);
    expect(res.body).toMatchObject({ bounces: 0, ignored: 1 });
    expect(await stateOf(t)).toMatchObject(untouched);
  });

  it("a complaint suppresses and unsubscribes", async () => {
    const t = await sentTo("mg-complaint");
    const body = JSON.stringify({
      signature: mailgunSignature(),
      "event-data": {
        id: `mg-${crypto.randomUUID()}`,
        event: "complained",
        timestamp: Date.now() / 1000,
        recipient: t.email,
        message: { headers: { "message-id": t.messageId } },
      },
    });
    const res = await post("mailgun", body, json);
    expect(res.body).toMatchObject({ complaints: 1 });
    expect(await stateOf(t)).toMatchObject({
      subscriber: "complained",
      membership: "unsubscribed",
      suppressed: "complaint",
    });
  });

  it("refuses a wrong signature, a missing one and a stale timestamp with 401", async () => {
    const t = await sentTo("mg-forged");
    const wrongKey = failed(
      t,
      "permanent",
      550,
      "5.1.1 no such user",
      mailgunSignature(undefined, "not-the-key"),
    );
    const stale = failed(
      t,
      "permanent",
      550,
      "5.1.1 no such user",
      mailgunSignature(Math.floor(Date.now() / 1000) - 3600),
    );
    const unsigned = JSON.stringify({
      ...JSON.parse(failed(t, "permanent", 550, "x")),
      signature: undefined,
    });
    for (const body of [wrongKey, stale, unsigned]) {
      const res = await post("mailgun", body, json);
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    expect(await stateOf(t)).toMatchObject(untouched);
  });
});

describe("generic", () => {
  it("a hard bounce by Message-ID and a complaint in one array; a retry changes nothing", async () => {
    const hard = await sentTo("gen-hard");
    const complaint = await sentTo("gen-complaint");
    const body = JSON.stringify([
      {
        type: "bounce",
        email: hard.email,
        status: "5.1.1",
        diagnostic: "550 5.1.1 user unknown",
        hard: true,
        messageId: `<${hard.messageId}>`,
      },
      { type: "complaint", email: complaint.email, feedbackType: "abuse", messageId: complaint.messageId },
    ]);
    const res = await post("generic", body, genericHeaders(body));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ok: true, bounces: 1, complaints: 1, ignored: 0, duplicates: 0 });
    const h = await stateOf(hard);
    expect(h).toMatchObject({
      sendStatus: "bounced",
      lastEnhanced: "5.1.1",
      subscriber: "bounced",
      suppressed: "bounce",
    });
    expect(h.events).toEqual([expect.objectContaining({ sendId: hard.send.id })]);
    expect(await stateOf(complaint)).toMatchObject({ subscriber: "complained", membership: "unsubscribed" });

    const again = await post("generic", body, genericHeaders(body));
    expect(again.body).toMatchObject({ duplicates: 2 });
    expect((await stateOf(hard)).events).toHaveLength(1);
  });

  it("ignores notices about one recipient's message (messageId) that name another address", async () => {
    const owner = await sentTo("gen-owner");
    const victim = await sentTo("gen-victim");
    const body = JSON.stringify([
      { type: "bounce", email: victim.email, hard: true, status: "5.1.1", messageId: owner.messageId },
      { type: "complaint", email: victim.email, messageId: `<${owner.messageId}>` },
    ]);
    const res = await post("generic", body, genericHeaders(body));
    expect(res.body).toEqual({ ok: true, bounces: 0, complaints: 0, ignored: 2, duplicates: 0 });
    expect(await stateOf(victim)).toMatchObject(untouched);
    expect(await stateOf(owner)).toMatchObject(untouched);
  });

  it("refuses a wrong signature, a missing one, an altered body and a stale timestamp with 401", async () => {
    const t = await sentTo("gen-forged");
    const body = JSON.stringify({ type: "bounce", email: t.email, hard: true });
    const cases: [string, Record<string, string>][] = [
      [body, genericHeaders(body, undefined, "not the secret")],
      [body, { "content-type": "application/json" }],
      [body.replace("true", "true "), genericHeaders(body)],
      [body, genericHeaders(body, Math.floor(Date.now() / 1000) - 11 * 60)],
    ];
    for (const [b, h] of cases) {
      const res = await post("generic", b, h);
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    expect(await stateOf(t)).toMatchObject(untouched);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const body = JSON.stringify({
      type: "bounce",
      email: "big@example.org",
      diagnostic: "x".repeat(1024 * 1024),
    });
    const res = await post("generic", body, genericHeaders(body));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });
});

describe("documentation", () => {
  it("lists the endpoint as public in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${stack().baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.paths["/webhooks/{provider}"]?.post?.["x-min-role"]).toBe("public");
  });
});

describe("unconfigured providers, and a production Worker", () => {
  let bare: RunningWorker;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "edgepost-webhooks-"));
    // The shared stack's database and secrets, without the webhook settings (Postmark half-set),
    // and in production, where SNS_CERT_HOST_PATTERN must be ignored.
    bare = await startWorker({
      persistTo: dir,
      snapshot: true,
      vars: {
        ...stack().secrets,
        ENVIRONMENT: "production",
        DATABASE_URL: stack().databaseUrl,
        POSTMARK_WEBHOOK_USER: WEBHOOK_TEST.postmarkUser,
        SES_TOPIC_ARNS: WEBHOOK_TEST.sesTopicArn,
        SNS_CERT_HOST_PATTERN: WEBHOOK_TEST.snsCertHostPattern,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await bare?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answer 404 exactly like an unknown path, whatever the request carries", async () => {
    const body = JSON.stringify({ type: "bounce", email: "x@example.org" });
    for (const provider of ["postmark", "sendgrid", "mailgun", "generic"]) {
      const res = await post(
        provider,
        body,
        { ...genericHeaders(body), authorization: postmarkAuth() },
        bare.url,
      );
      expect(res.status, provider).toBe(404);
      expect(res.body.error.code).toBe("not_found");
      expect(res.body.error.message).toBe(`No route for POST /webhooks/${provider}`);
    }
    const unknown = await post("sparkpost", body, {}, bare.url);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      code: "not_found",
      message: "No route for POST /webhooks/sparkpost",
    });
  });

  it("in production, trusts only sns.<region>.amazonaws.com certificates, whatever SNS_CERT_HOST_PATTERN says", async () => {
    const t = await sentTo("ses-prod");
    const m = sns.sign({
      Type: "Notification",
      MessageId: crypto.randomUUID(),
      TopicArn: WEBHOOK_TEST.sesTopicArn,
      Message: JSON.stringify({
        notificationType: "Bounce",
        bounce: { bounceType: "Permanent", bouncedRecipients: [{ emailAddress: t.email }], feedbackId: "f" },
        mail: { source: t.bounceAddress },
      }),
      Timestamp: new Date().toISOString(),
    });
    const res = await post("ses", JSON.stringify(m), { "content-type": "text/plain" }, bare.url);
    expect(res.status, JSON.stringify(res.body)).toBe(401);
    expect(await stateOf(t)).toMatchObject(untouched);
    // The control: the test stack, where the pattern applies, accepts the very same message.
    const control = await post("ses", JSON.stringify(m), { "content-type": "text/plain" });
    expect(control.status, JSON.stringify(control.body)).toBe(200);
    expect(await stateOf(t)).toMatchObject({ suppressed: "bounce" });
  });
});

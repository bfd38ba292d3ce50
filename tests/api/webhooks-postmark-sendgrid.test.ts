import { describe, expect, it } from "vitest";
import { sends } from "../../schema/sends";
import { postmarkAuth, sendgridHeaders } from "../support/webhook-doubles";
import { WEBHOOK_TEST } from "../support/webhook-fixtures";
import {
  db,
  nextSeq,
  post,
  type Sent,
  sentTo,
  stateOf,
  tag,
  untouched,
  useWebhookLedger,
} from "../support/webhook-ledger";

/** POST /webhooks/postmark (Basic auth) and /webhooks/sendgrid (signed events, ECDSA). */

useWebhookLedger();

describe("postmark", () => {
  const bounce = (t: Sent, type: string, details: string, extra: Record<string, unknown> = {}) =>
    // Postmark's IDs exceed 2^53: written as a literal so JSON keeps all the digits.
    `{"RecordType":"Bounce","ID":${4323372036854775000n + BigInt(nextSeq())},"Type":"${type}","TypeCode":1,` +
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
    const newer = await db()
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
      ID: 42 + nextSeq(),
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

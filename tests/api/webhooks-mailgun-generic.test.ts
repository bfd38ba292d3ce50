import { describe, expect, it } from "vitest";
import { genericHeaders, mailgunSignature } from "../support/webhook-doubles";
import { post, type Sent, sentTo, stateOf, untouched, useWebhookLedger } from "../support/webhook-ledger";

/** POST /webhooks/mailgun (HMAC-signed, each signature once) and /webhooks/generic (our own format). */

useWebhookLedger();

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

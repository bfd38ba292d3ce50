import { describe, expect, it } from "vitest";
import { WEBHOOK_TEST } from "../support/webhook-fixtures";
import {
  post,
  type Sent,
  sentTo,
  stateOf,
  tag,
  untouched,
  useSnsDouble,
  useWebhookLedger,
} from "../support/webhook-ledger";

/** POST /webhooks/ses: Amazon SES notices through SNS, signed with SNS's certificates. */

useWebhookLedger();
const sns = useSnsDouble();

describe("ses (Amazon SNS)", () => {
  const topic = WEBHOOK_TEST.sesTopicArn;
  const envelope = (message: unknown, extra: Record<string, string> = {}) => ({
    Type: "Notification",
    MessageId: crypto.randomUUID(),
    TopicArn: topic,
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    UnsubscribeURL: `${sns().url}/unsubscribe`,
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
    const m = sns().sign({
      Type: "SubscriptionConfirmation",
      MessageId: crypto.randomUUID(),
      Token: token,
      TopicArn: topic,
      Message: `You have chosen to subscribe to the topic ${topic}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: `${sns().url}/confirm?Action=ConfirmSubscription&Token=${token}`,
      Timestamp: new Date().toISOString(),
    });
    const res = await postSns(m);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ ok: true, subscribed: true });
    expect(sns().confirmations).toContain(`/confirm?Action=ConfirmSubscription&Token=${token}`);
  });

  it("refuses a validly signed confirmation for a topic that is not ours, and visits nothing", async () => {
    const before = sns().confirmations.length;
    const other = "arn:aws:sns:us-east-1:999999999999:someone-else";
    const m = sns().sign({
      Type: "SubscriptionConfirmation",
      MessageId: crypto.randomUUID(),
      Token: "t",
      TopicArn: other,
      Message: "You have chosen to subscribe",
      SubscribeURL: `${sns().url}/confirm?Token=other`,
      Timestamp: new Date().toISOString(),
    });
    const res = await postSns(m);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
    expect(sns().confirmations.length).toBe(before);
  });

  it("a Permanent bounce (SignatureVersion 1) suppresses the subscriber and marks the send bounced", async () => {
    const t = await sentTo("ses-hard");
    const m = sns().sign(
      envelope(bounceMessage(t, "Permanent", "5.1.1", "smtp; 550 5.1.1 user unknown")),
      "1",
    );
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
      sns().sign(envelope(message, { Subject: "Amazon SES Email Event Notification" })),
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
    const res = await postSns(sns().sign(envelope(both)));
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
    const again = await postSns(sns().sign(envelope(complaint)));
    expect(again.body).toEqual({ ok: true, bounces: 0, complaints: 0, ignored: 1, duplicates: 0 });
    expect(await stateOf(victim)).toMatchObject(untouched);
  });

  it("a Transient bounce is soft: recorded, not suppressed", async () => {
    const t = await sentTo("ses-soft");
    const res = await postSns(
      sns().sign(envelope(bounceMessage(t, "Transient", "4.2.2", "smtp; 452 4.2.2 mailbox full"))),
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
    const res = await postSns(sns().sign(envelope(message)));
    expect(res.body).toEqual({ ok: true, bounces: 0, complaints: 0, ignored: 1, duplicates: 0 });
    expect(await stateOf(t)).toMatchObject(untouched);
  });

  it("refuses an altered message, a certificate of another key and a disallowed certificate host", async () => {
    const t = await sentTo("ses-forged");
    const signed = sns().sign(envelope(bounceMessage(t, "Permanent", "5.1.1", "550 5.1.1 user unknown")));
    const altered = { ...signed, Message: signed.Message?.replace("Permanent", "Permanent ") ?? "" };
    const wrongCert = { ...signed, SigningCertURL: sns().otherCertUrl };
    const badHost = sns().sign(
      envelope(bounceMessage(t, "Permanent", "5.1.1", "x")),
      "2",
      sns().certUrl.replace("127.0.0.1", "localhost"),
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

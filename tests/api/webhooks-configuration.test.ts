import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, startWorker } from "../../scripts/lib/worker";
import { stack } from "../support/api";
import { genericHeaders, postmarkAuth } from "../support/webhook-doubles";
import { WEBHOOK_TEST } from "../support/webhook-fixtures";
import { post, sentTo, stateOf, untouched, useSnsDouble, useWebhookLedger } from "../support/webhook-ledger";

/**
 * Which webhook endpoints exist: public in the OpenAPI document, absent (404) for a provider
 * without its settings, and SNS certificates trusted only from AWS hosts in production.
 */

useWebhookLedger();
const sns = useSnsDouble();

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
    const m = sns().sign({
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

import { generateKeyPairSync } from "node:crypto";

/**
 * Fixed credentials the shared stack's relay webhooks are configured with (tests/api/webhooks-*.test.ts),
 * plus a SendGrid key pair made per run: the Worker gets the public half, the tests the private one.
 */
export const WEBHOOK_TEST = {
  postmarkUser: "postmark-test",
  postmarkPassword: "postmark test password",
  mailgunKey: "mailgun-test-signing-key",
  webhookSecret: "generic-webhook-test-secret",
  sesTopicArn: "arn:aws:sns:us-east-1:123456789012:edgepost-test-ses",
  // The SNS certificate double listens on a free port of 127.0.0.1 (no backslashes: .dev.vars).
  snsCertHostPattern: "^127[.]0[.]0[.]1:[0-9]+$",
} as const;

export interface WebhookFixtures {
  /** PKCS#8 PEM of the key the SendGrid double signs with. */
  sendgridPrivateKey: string;
}

/** The Worker variables for the webhooks, and what the tests need to sign like each provider. */
export function webhookFixtures(): { vars: Record<string, string>; provided: WebhookFixtures } {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    vars: {
      SES_TOPIC_ARNS: WEBHOOK_TEST.sesTopicArn,
      SNS_CERT_HOST_PATTERN: WEBHOOK_TEST.snsCertHostPattern,
      POSTMARK_WEBHOOK_USER: WEBHOOK_TEST.postmarkUser,
      POSTMARK_WEBHOOK_PASSWORD: WEBHOOK_TEST.postmarkPassword,
      SENDGRID_WEBHOOK_PUBLIC_KEY: publicKey.export({ type: "spki", format: "der" }).toString("base64"),
      MAILGUN_WEBHOOK_SIGNING_KEY: WEBHOOK_TEST.mailgunKey,
      WEBHOOK_SECRET: WEBHOOK_TEST.webhookSecret,
    },
    provided: { sendgridPrivateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() },
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    webhooks: WebhookFixtures;
  }
}

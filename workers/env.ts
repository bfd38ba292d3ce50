import { z } from "zod";
import type { RelayLimiter } from "./objects/relay-limiter";
import type { WorkflowInstance } from "./objects/workflow-instance";

/** Everything wrangler.toml binds, plus the secrets; validated once per isolate. */
export interface Env {
  ENVIRONMENT: string;
  APP_URL?: string;
  CORS_ORIGINS?: string;
  DATABASE_URL: string;
  DATABASE_DRIVER?: string;
  NEON_WS_PROXY?: string;
  SMTP_URL?: string;
  /** Messages per second through SMTP_URL when no relay is configured (default 100). */
  SMTP_MAX_PER_SECOND?: string;
  /** Seconds after which a claimed send or an unfinished chunk is taken to be lost (default 600). */
  SEND_LEASE_SECONDS?: string;
  /** Fault tests only (ENVIRONMENT=test): `duplicate` delivers every queue message twice, out of order. */
  QUEUE_CHAOS?: string;
  /** DNS-over-HTTPS endpoint for sending-domain checks (default Cloudflare's resolver). */
  DNS_RESOLVER_URL?: string;
  /** Sender of system mail (confirmations, resets); defaults to `Edgepost <no-reply@localhost>`. */
  SYSTEM_FROM?: string;
  /** Comma-separated SNS topic ARNs whose SES notifications /webhooks/ses accepts (unset: off). */
  SES_TOPIC_ARNS?: string;
  /** Development and tests only: a regex for the SNS certificate host (allows http). */
  SNS_CERT_HOST_PATTERN?: string;
  /** The HTTP Basic user in Postmark's webhook URL (with the password, turns on /webhooks/postmark). */
  POSTMARK_WEBHOOK_USER?: string;
  /** The HTTP Basic password in Postmark's webhook URL. */
  POSTMARK_WEBHOOK_PASSWORD?: string;
  /** SendGrid's Signed Event Webhook verification key, base64 SPKI (turns on /webhooks/sendgrid). */
  SENDGRID_WEBHOOK_PUBLIC_KEY?: string;
  /** Mailgun's HTTP webhook signing key (turns on /webhooks/mailgun). */
  MAILGUN_WEBHOOK_SIGNING_KEY?: string;
  /** The key workflow webhook nodes sign their calls with (HMAC-SHA256); `WORKFLOW_SECRET_<REF>` for a node's `secretRef`. */
  WORKFLOW_WEBHOOK_SECRET?: string;
  /** Operators only: `true` lets workflow webhooks call private, loopback and link-local addresses. */
  WORKFLOW_WEBHOOK_ALLOW_PRIVATE?: string;
  /** HMAC-SHA256 key of /webhooks/generic's X-Edgepost-Signature (turns it on). */
  WEBHOOK_SECRET?: string;
  JWT_SECRET: string;
  TRACKING_SECRET: string;
  ENCRYPTION_KEY: string;
  PASSWORD_PEPPER: string;
  /**
   * Cloudflare Email Service (`[[send_email]]` in wrangler.toml, optional): used only when a
   * `cloudflare` relay carries transactional or system mail. Locally wrangler simulates it.
   */
  EMAIL?: SendEmail;
  ASSETS: Fetcher;
  /** R2 bucket of uploaded images (the image library), served at /media/. */
  MEDIA: R2Bucket;
  SENDS_QUEUE: Queue;
  EVENTS_QUEUE: Queue;
  IMPORTS_QUEUE: Queue;
  WORKFLOWS_QUEUE: Queue;
  /** Outgoing webhooks: one message wakes the sender of one endpoint (workers/jobs/webhooks.ts). */
  WEBHOOKS_QUEUE: Queue;
  RELAY_LIMITER: DurableObjectNamespace<RelayLimiter>;
  WORKFLOW_INSTANCE: DurableObjectNamespace<WorkflowInstance>;
}

const secret = (min: number) =>
  z.string({ error: "is missing" }).min(min, `must be at least ${min} characters`);

const EnvSchema = z.object({
  ENVIRONMENT: z.string().default("production"),
  DATABASE_URL: z
    .string({ error: "is missing" })
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL"),
  JWT_SECRET: secret(32),
  TRACKING_SECRET: secret(32),
  PASSWORD_PEPPER: secret(16),
  ENCRYPTION_KEY: z
    .string({ error: "is missing" })
    .refine(
      (v) => /^[A-Za-z0-9+/]{43}=$/.test(v),
      "must be 32 random bytes in base64 (openssl rand -base64 32)",
    ),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  ASSETS: z.custom<Fetcher>((v) => v != null, "binding is missing"),
  MEDIA: z.custom<R2Bucket>((v) => v != null, "binding is missing"),
  SENDS_QUEUE: z.custom<Queue>((v) => v != null, "binding is missing"),
  EVENTS_QUEUE: z.custom<Queue>((v) => v != null, "binding is missing"),
  IMPORTS_QUEUE: z.custom<Queue>((v) => v != null, "binding is missing"),
  WORKFLOWS_QUEUE: z.custom<Queue>((v) => v != null, "binding is missing"),
  WEBHOOKS_QUEUE: z.custom<Queue>((v) => v != null, "binding is missing"),
  RELAY_LIMITER: z.custom<DurableObjectNamespace>((v) => v != null, "binding is missing"),
  WORKFLOW_INSTANCE: z.custom<DurableObjectNamespace>((v) => v != null, "binding is missing"),
});

const checked = new WeakSet<object>();

/**
 * Returns the list of problems with the bindings and secrets (empty when all is well). The names
 * are safe to show; values never appear in the message.
 */
export function checkEnv(env: Env): string[] {
  if (checked.has(env)) return [];
  const result = EnvSchema.safeParse(env);
  if (result.success) {
    checked.add(env);
    return [];
  }
  return result.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
}

export const isDevelopment = (env: Env) => env.ENVIRONMENT === "development" || env.ENVIRONMENT === "test";

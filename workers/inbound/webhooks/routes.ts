import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { HonoEnv } from "../../http/context";
import { errors, jsonResponse, open } from "../../http/route";
import { AppError } from "../../lib/errors";
import { genericConfigured, readGeneric } from "./generic";
import { mailgunConfigured, readMailgun } from "./mailgun";
import { postmarkConfigured, readPostmark } from "./postmark";
import { recordNotices } from "./record";
import type { WebhookProvider } from "./request";
import { readSendgrid, sendgridConfigured } from "./sendgrid";
import { readSes, sesConfigured } from "./ses";

/**
 * `POST /webhooks/:provider`: bounce and complaint notifications from relays, each authenticated
 * its provider's way, matched to our sends and fed to the one set of bounce and complaint rules.
 * Public (no bearer token): the provider's signature or credentials are the authentication.
 */
export const webhookRoutes = new OpenAPIHono<HonoEnv>();

const PROVIDERS: Record<string, WebhookProvider> = {
  ses: { configured: sesConfigured, read: readSes },
  postmark: { configured: postmarkConfigured, read: readPostmark },
  sendgrid: { configured: sendgridConfigured, read: readSendgrid },
  mailgun: { configured: mailgunConfigured, read: readMailgun },
  generic: { configured: genericConfigured, read: readGeneric },
};

const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const providerOf = (name: string) => (Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name] : undefined);

// An unknown and an unconfigured provider get app.notFound's very answer: probing learns nothing.
const requireConfigured: MiddlewareHandler<HonoEnv> = async (c, next) => {
  const provider = providerOf(c.req.param("provider") ?? "");
  if (!provider?.configured(c.env)) {
    throw new AppError("not_found", `No route for ${c.req.method} ${c.req.path}`);
  }
  await next();
};

const limitBody = bodyLimit({
  maxSize: WEBHOOK_BODY_LIMIT,
  onError: () => {
    throw new AppError("payload_too_large", `Request body is larger than ${WEBHOOK_BODY_LIMIT} bytes`);
  },
});

const ResultSchema = z
  .object({
    ok: z.literal(true),
    bounces: z.number().int(),
    complaints: z.number().int(),
    ignored: z.number().int(),
    duplicates: z.number().int(),
    subscribed: z.boolean().optional(),
  })
  .openapi("WebhookResult", {
    example: { ok: true, bounces: 12, complaints: 1, ignored: 0, duplicates: 0, subscribed: false },
  });

webhookRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhooks/{provider}",
    operationId: "receiveRelayNotification",
    tags: ["Relay notifications"],
    summary: "Bounce and complaint notifications from a relay",
    description:
      "`ses` (Amazon SNS, signature checked against the SigningCertURL certificate; topics in " +
      "SES_TOPIC_ARNS), `postmark` (HTTP Basic credentials), `sendgrid` (Signed Event Webhook, " +
      "ECDSA), `mailgun` (HMAC signature in the body), `generic` (`X-Edgepost-Signature: " +
      'sha256=<hex HMAC of "<X-Edgepost-Timestamp>.<body>">`, body `{type, email, status?, ' +
      "diagnostic?, hard?, messageId?, feedbackType?, id?}` or an array). A provider without its " +
      "settings is a 404; a bad signature a 401 that changes nothing. A repeated notification " +
      "changes nothing either; a Mailgun signature (timestamp and token) is accepted once, so " +
      "a replayed one is a 401. A notice about one of our messages that names another address " +
      "is ignored.",
    ...open,
    middleware: [requireConfigured, limitBody] as const,
    request: { params: z.object({ provider: z.string().openapi({ example: "ses" }) }) },
    responses: {
      200: jsonResponse(ResultSchema, "The notification was verified and recorded"),
      ...errors(400, 401, 404, 413),
    },
  }),
  async (c) => {
    const provider = providerOf(c.req.param("provider"));
    if (!provider) throw new AppError("not_found", `No route for ${c.req.method} ${c.req.path}`);
    // Read once: signatures are over these exact bytes.
    const body = new Uint8Array(await c.req.arrayBuffer());
    const text = new TextDecoder().decode(body);
    const notices = await provider.read(c.env, { headers: c.req.raw.headers, body, text });
    return c.json(await recordNotices(c.var.db, c.env.TRACKING_SECRET, notices), 200);
  },
);

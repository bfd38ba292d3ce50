import { z } from "@hono/zod-openapi";

/** The events an endpoint may subscribe to (`webhook.test` is sent on request only). */
export const WEBHOOK_EVENT_TYPES = [
  "subscriber.created",
  "subscriber.updated",
  "subscriber.unsubscribed",
  "subscriber.deleted",
  "list.membership_changed",
  "email.sent",
  "email.delivered",
  "email.bounced",
  "email.complained",
  "email.opened",
  "email.clicked",
  "campaign.started",
  "campaign.sent",
  "campaign.paused",
  "campaign.cancelled",
  "import.finished",
  "workflow.entered",
  "workflow.converted",
  "workflow.exited",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** High-volume events: delivered in batches (`{type: "batch", data: {events: [...]}}`). */
export const BATCHED_EVENT_TYPES: readonly WebhookEventType[] = ["email.opened", "email.clicked"];

const EventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES, {
  message: `one of ${WEBHOOK_EVENT_TYPES.join(", ")}`,
});

const url = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "https:" || u.protocol === "http:") && u.hostname !== "";
    } catch {
      return false;
    }
  }, "a web address starting with https:// or http://");

/** An endpoint, as the examples of the document show it. */
const WEBHOOK_EXAMPLE = {
  id: "0193a5c2-7d1e-7c3a-9f00-5b1c2d3e4f50",
  url: "https://hooks.example.com/edgepost",
  events: ["subscriber.created", "email.bounced"],
  enabled: true,
  disabledReason: null,
  pending: 0,
  createdAt: "2026-12-07T10:00:00.000Z",
  updatedAt: "2026-12-07T10:00:00.000Z",
};

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    /** Why it was turned off automatically (sustained failures); null when enabled or turned off by hand. */
    disabledReason: z.string().nullable(),
    /** Deliveries waiting (retrying, or held behind a failing one). */
    pending: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Webhook", { example: WEBHOOK_EXAMPLE });

/** Returned once, at creation: the only time the signing secret is visible. */
export const CreatedWebhookSchema = WebhookSchema.extend({ secret: z.string() }).openapi("CreatedWebhook", {
  example: {
    ...WEBHOOK_EXAMPLE,
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  },
});

export const CreateWebhookSchema = z
  .object({
    url,
    events: z.array(EventTypeSchema).min(1).max(WEBHOOK_EVENT_TYPES.length),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi("CreateWebhook", {
    example: { url: "https://hooks.example.com/edgepost", events: ["subscriber.created", "email.opened"] },
  });
export type CreateWebhook = z.infer<typeof CreateWebhookSchema>;

export const UpdateWebhookSchema = z
  .object({
    url,
    events: z.array(EventTypeSchema).min(1).max(WEBHOOK_EVENT_TYPES.length),
    enabled: z.boolean(),
  })
  .partial()
  .strict()
  .openapi("UpdateWebhook", { example: { enabled: false } });
export type UpdateWebhook = z.infer<typeof UpdateWebhookSchema>;

export const WebhookAttemptSchema = z
  .object({
    id: z.string(),
    /** The delivery (for a batch: its first event's) to redeliver. */
    deliveryId: z.string(),
    /** The `webhook-id` header the attempt carried. */
    webhookId: z.string(),
    /** The event type, or `batch` for a batch of opens and clicks. */
    event: z.string(),
    eventCount: z.number().int(),
    ok: z.boolean(),
    /** The receiver's HTTP status; null when no answer came (refused target, timeout, network error). */
    status: z.number().int().nullable(),
    latencyMs: z.number().int(),
    /** The first 500 characters of the answer. */
    responseExcerpt: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("WebhookAttempt", {
    example: {
      id: "42",
      deliveryId: "17",
      webhookId: "msg_0193a5c27d1e7c3a9f005b1c2d3e4f50",
      event: "subscriber.created",
      eventCount: 1,
      ok: true,
      status: 200,
      latencyMs: 84,
      responseExcerpt: "ok",
      error: null,
      createdAt: "2026-12-07T10:00:01.000Z",
    },
  });

export const DeliveryParamSchema = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: "id", in: "path" } }),
  deliveryId: z
    .string()
    .regex(/^\d{1,16}$/, "a delivery id")
    .openapi({ param: { name: "deliveryId", in: "path" } }),
});

export const QueuedSchema = z
  .object({ queued: z.number().int() })
  .openapi("WebhookQueued", { example: { queued: 1 } });

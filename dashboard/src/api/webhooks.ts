import type { z } from "@hono/zod-openapi";
import type {
  CreatedWebhookSchema,
  CreateWebhook,
  UpdateWebhook,
  WebhookAttemptSchema,
  WebhookSchema,
} from "../../../workers/contract/webhooks";
import { call, type Page, type PageParams } from "./client";

export type Webhook = z.infer<typeof WebhookSchema>;
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;
export type WebhookAttempt = z.infer<typeof WebhookAttemptSchema>;
export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../../../workers/contract/webhooks";
export type { CreateWebhook, UpdateWebhook };

const path = (id: string, rest = "") => `/webhooks/${encodeURIComponent(id)}${rest}`;

/** The typed outgoing-webhooks API (owners and admins). */
export const webhooks = {
  list: (page: PageParams) => call<Page<Webhook>>("GET", "/webhooks", { query: { ...page } }),
  /** The answer carries the signing secret: the only time it is visible. */
  create: (body: CreateWebhook) => call<CreatedWebhook>("POST", "/webhooks", { body }),
  update: (id: string, body: UpdateWebhook) => call<Webhook>("PATCH", path(id), { body }),
  remove: (id: string) => call<void>("DELETE", path(id)),
  test: (id: string) => call<{ queued: number }>("POST", path(id, "/test"), { body: {} }),
  deliveries: (id: string, page: PageParams) =>
    call<Page<WebhookAttempt>>("GET", path(id, "/deliveries"), { query: { ...page } }),
  redeliver: (id: string, deliveryId: string) =>
    call<{ queued: number }>("POST", path(id, `/deliveries/${encodeURIComponent(deliveryId)}/redeliver`), {
      body: {},
    }),
};

import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { IdParamSchema, PageQuerySchema, pageOf } from "../../contract/common";
import {
  CreatedWebhookSchema,
  CreateWebhookSchema,
  DeliveryParamSchema,
  QueuedSchema,
  UpdateWebhookSchema,
  WebhookAttemptSchema,
  WebhookSchema,
} from "../../contract/webhooks";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  sendTestEvent,
  updateWebhook,
} from "../../domain/webhooks/endpoints";
import { listAttempts, redeliver } from "../../domain/webhooks/log";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

/**
 * Outgoing webhooks: endpoints, their signing secret (shown once), the delivery log, test events
 * and redelivery. Admins only: an endpoint receives subscriber addresses.
 */
export const webhooksOutApi = new OpenAPIHono<HonoEnv>();
const tags = ["Webhooks"];

const DELIVERY_DOC =
  "Each request is signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature: " +
  'v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, key from `whsec_<base64>`); the body is `{type, timestamp, ' +
  'data}`. Opens and clicks come in batches: `{type: "batch", timestamp, data: {count, events: [{id, type, ' +
  "timestamp, data}, ...]}}` (up to 500, in order). Deliveries to one endpoint leave in order; a failing one is " +
  "retried (5 s, 30 s, 2 min ... about a day) and holds the later ones; after the whole schedule fails the " +
  "endpoint is turned off and the admins are told.";

webhooksOutApi.openapi(
  createRoute({
    method: "get",
    path: "/webhooks",
    operationId: "listWebhooks",
    tags,
    summary: "Webhook endpoints (their secrets are never returned)",
    description: DELIVERY_DOC,
    ...authed("admin"),
    request: { query: PageQuerySchema },
    responses: {
      200: jsonResponse(pageOf(WebhookSchema, "WebhookPage"), "Webhook endpoints"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listWebhooks(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

webhooksOutApi.openapi(
  createRoute({
    method: "post",
    path: "/webhooks",
    operationId: "createWebhook",
    tags,
    summary: "Add a webhook endpoint; the answer carries its signing secret, once",
    description:
      "Private, loopback and link-local targets (the resolved address is checked) are refused unless the owner " +
      "set `webhooks.allowPrivateTargets`. " +
      DELIVERY_DOC,
    ...authed("admin"),
    request: { body: jsonBody(CreateWebhookSchema) },
    responses: { 201: jsonResponse(CreatedWebhookSchema, "Created"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const created = await createWebhook({ ...c.var.ctx, env: c.env }, c.req.valid("json"));
    return c.json(toJson(created), 201);
  },
);

webhooksOutApi.openapi(
  createRoute({
    method: "get",
    path: "/webhooks/{id}",
    operationId: "getWebhook",
    tags,
    summary: "A webhook endpoint",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(WebhookSchema, "The endpoint"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(toJson(await getWebhook(c.var.db, c.req.valid("param").id)), 200),
);

webhooksOutApi.openapi(
  createRoute({
    method: "patch",
    path: "/webhooks/{id}",
    operationId: "updateWebhook",
    tags,
    summary: "Change an endpoint's URL, events, or turn it on or off",
    description: "Turning an endpoint on again sends the deliveries that waited, in order.",
    ...authed("admin"),
    request: { params: IdParamSchema, body: jsonBody(UpdateWebhookSchema) },
    responses: { 200: jsonResponse(WebhookSchema, "Updated"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const row = await updateWebhook(
      { ...c.var.ctx, env: c.env },
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    return c.json(toJson(row), 200);
  },
);

webhooksOutApi.openapi(
  createRoute({
    method: "delete",
    path: "/webhooks/{id}",
    operationId: "deleteWebhook",
    tags,
    summary: "Remove an endpoint with its pending deliveries and log",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await deleteWebhook(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

webhooksOutApi.openapi(
  createRoute({
    method: "post",
    path: "/webhooks/{id}/test",
    operationId: "testWebhook",
    tags,
    summary: "Send a `webhook.test` event to this endpoint",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: { 202: jsonResponse(QueuedSchema, "Queued"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json({ queued: await sendTestEvent(c.var.ctx, c.req.valid("param").id) }, 202),
);

webhooksOutApi.openapi(
  createRoute({
    method: "get",
    path: "/webhooks/{id}/deliveries",
    operationId: "listWebhookDeliveries",
    tags,
    summary:
      "The delivery log: each attempt with its event, status, latency and the answer's first characters",
    ...authed("admin"),
    request: { params: IdParamSchema, query: PageQuerySchema },
    responses: {
      200: jsonResponse(pageOf(WebhookAttemptSchema, "WebhookAttemptPage"), "Attempts, newest first"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const page = await listAttempts(c.var.db, c.req.valid("param").id, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

webhooksOutApi.openapi(
  createRoute({
    method: "post",
    path: "/webhooks/{id}/deliveries/{deliveryId}/redeliver",
    operationId: "redeliverWebhookDelivery",
    tags,
    summary:
      "Send a delivery (a batch: all its events) again, with the same event ids, after the pending ones",
    ...authed("admin"),
    request: { params: DeliveryParamSchema },
    responses: { 202: jsonResponse(QueuedSchema, "Queued"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const { id, deliveryId } = c.req.valid("param");
    return c.json({ queued: await redeliver(c.var.ctx, id, deliveryId) }, 202);
  },
);

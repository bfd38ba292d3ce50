import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  CreateSubscriberSchema,
  MembershipChangeSchema,
  SubscriberDetailSchema,
  SubscriberExportQuerySchema,
  SubscriberExportSchema,
  SubscriberQuerySchema,
  SubscriberSchema,
  UpdateSubscriberSchema,
} from "../../contract/audience";
import { IdParamSchema, PageQuerySchema, pageOf } from "../../contract/common";
import { eraseSubscriber, exportSubscriber, subscriberEvents } from "../../domain/audience/privacy";
import { recordSubscriberExport, subscriberCsv } from "../../domain/audience/subscriber-export";
import {
  changeMemberships,
  createSubscriber,
  getSubscriber,
  listSubscribers,
  type PendingConfirmation,
  type SubscriberDetail,
  updateSubscriber,
} from "../../domain/audience/subscribers";
import { sendConfirmationMail } from "../../domain/audience/subscriptions/confirmations";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { openDbFor } from "../../lib/db";
import { toJson } from "../../lib/serialize";

export const subscribersApi = new OpenAPIHono<HonoEnv>();
const tags = ["Subscribers"];

const detailJson = (s: SubscriberDetail) => ({ ...toJson(s), lists: s.lists.map(toJson) });

/**
 * Mails the double opt-in confirmations a change created. The subscriber is already saved, so a
 * relay problem is logged and reported in `confirmationError`, not turned into a failed request.
 */
async function confirm(
  c: Context<HonoEnv>,
  pending: PendingConfirmation | null,
): Promise<string | undefined> {
  if (!pending) return undefined;
  try {
    await sendConfirmationMail(c.env, c.var.db, pending, new URL(c.req.url).origin);
    return undefined;
  } catch (err) {
    console.error(`request ${c.var.requestId}: confirmation mail failed:`, err);
    return "The confirmation mail could not be sent; the membership stays unconfirmed.";
  }
}

const EventSchema = z
  .object({
    id: z.number(),
    kind: z.string(),
    name: z.string().nullable(),
    campaignId: z.string().nullable(),
    /** The campaign's name now; null when it was deleted (`campaignDeleted`). */
    campaignName: z.string().nullable(),
    campaignArchived: z.boolean(),
    campaignDeleted: z.boolean(),
    /** The workflow whose send node sent the message, for events of workflow mail. */
    workflowId: z.string().nullable(),
    workflowName: z.string().nullable(),
    workflowDeleted: z.boolean(),
    url: z.string().nullable(),
    machine: z.boolean(),
    client: z.string().nullable(),
    occurredAt: z.string(),
  })
  .passthrough()
  .openapi("SubscriberEvent", {
    example: {
      id: 1042,
      kind: "click",
      name: null,
      campaignId: "0193b5a1-1b2c-7d3e-8f40-5162738495a6",
      campaignName: "March newsletter",
      campaignArchived: false,
      campaignDeleted: false,
      workflowId: null,
      workflowName: null,
      workflowDeleted: false,
      url: "https://example.com/read",
      machine: false,
      client: "Apple Mail",
      occurredAt: "2026-03-02T09:30:00.000Z",
    },
  });

subscribersApi.openapi(
  createRoute({
    method: "get",
    path: "/subscribers",
    operationId: "listSubscribers",
    tags,
    summary: "List subscribers, newest first; filter by list, segment, status or an email/name prefix",
    ...authed("analyst"),
    request: { query: SubscriberQuerySchema },
    responses: {
      200: jsonResponse(pageOf(SubscriberSchema, "SubscriberPage"), "Subscribers"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listSubscribers(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

// Before `/subscribers/{id}`, which would otherwise take "export" for an id.
subscribersApi.openapi(
  createRoute({
    method: "get",
    path: "/subscribers/export",
    operationId: "exportSubscribers",
    tags,
    summary: "Download the subscribers of a filter as CSV (same filters and sort as the list)",
    description:
      "Streams every matching subscriber, a page at a time: email, name, status, lists, created_at, " +
      "updated_at and one column per custom field (its key). Cells a spreadsheet could run as a formula " +
      "get a leading `'`. Personal data leaves the system, so editors and above only, and each export " +
      "writes an audit row (`subscriber.export`, with its filters).",
    ...authed("editor"),
    request: { query: SubscriberExportQuerySchema },
    responses: {
      200: {
        description: "CSV",
        content: {
          "text/csv": {
            schema: { type: "string", example: "email,name,status\nada@example.com,Ada Lovelace,active\n" },
          },
        },
      },
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    await recordSubscriberExport(c.var.ctx, q);
    const day = new Date().toISOString().slice(0, 10);
    return c.body(csvStream(c, q), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="subscribers-${day}.csv"`,
      "cache-control": "no-store",
    });
  },
);

/**
 * The export as a byte stream. It reads on its own connection: the request's is closed when the
 * handler returns, while this one lives until the last page is sent (or the download is dropped).
 */
function csvStream(c: Context<HonoEnv>, q: z.infer<typeof SubscriberExportQuerySchema>) {
  const conn = openDbFor(c.env);
  const lines = subscriberCsv(conn.db, q);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) {
          controller.close();
          await conn.close();
        } else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        console.error(`request ${c.var.requestId}: subscriber export failed:`, err);
        controller.error(new Error("export failed"));
        await conn.close();
      }
    },
    async cancel() {
      await lines.return(undefined);
      await conn.close();
    },
  });
}

subscribersApi.openapi(
  createRoute({
    method: "post",
    path: "/subscribers",
    operationId: "createSubscriber",
    tags,
    summary: "Create a subscriber (409 when the email exists, case-insensitively)",
    ...authed("editor"),
    request: { body: jsonBody(CreateSubscriberSchema) },
    responses: {
      201: jsonResponse(
        SubscriberDetailSchema.extend({ confirmationError: z.string().optional() }),
        "Created; double opt-in lists get a confirmation mail unless `preconfirm`",
      ),
      ...errors(400, 401, 403, 409, 422),
    },
  }),
  async (c) => {
    const { subscriber, pending } = await createSubscriber(c.var.ctx, c.req.valid("json"));
    const confirmationError = await confirm(c, pending);
    return c.json({ ...detailJson(subscriber), ...(confirmationError ? { confirmationError } : {}) }, 201);
  },
);

subscribersApi.openapi(
  createRoute({
    method: "get",
    path: "/subscribers/{id}",
    operationId: "getSubscriber",
    tags,
    summary: "Get a subscriber with their lists, consent records and suppression state",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(SubscriberDetailSchema, "The subscriber"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(detailJson(await getSubscriber(c.var.db, c.req.valid("param").id)), 200),
);

subscribersApi.openapi(
  createRoute({
    method: "patch",
    path: "/subscribers/{id}",
    operationId: "updateSubscriber",
    tags,
    summary: "Update a subscriber; `fields` are merged and a null value removes a field",
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(UpdateSubscriberSchema) },
    responses: { 200: jsonResponse(SubscriberDetailSchema, "Updated"), ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const deps = c.var.ctx;
    return c.json(
      detailJson(await updateSubscriber(deps, c.req.valid("param").id, c.req.valid("json"))),
      200,
    );
  },
);

subscribersApi.openapi(
  createRoute({
    method: "delete",
    path: "/subscribers/{id}",
    operationId: "deleteSubscriber",
    tags,
    summary: "Erase a subscriber (GDPR): personal data removed, the address stays suppressed by hash",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Erased" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await eraseSubscriber(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

subscribersApi.openapi(
  createRoute({
    method: "get",
    path: "/subscribers/{id}/export",
    operationId: "exportSubscriber",
    tags,
    summary: "Everything held about a subscriber: profile, consents, events and sends",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(SubscriberExportSchema, "The export"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const x = await exportSubscriber(c.var.db, c.req.valid("param").id);
    const { lists, suppressed, ...profile } = x.profile;
    return c.json(
      {
        exportedAt: x.exportedAt.toISOString(),
        profile: toJson(profile),
        lists: lists.map(toJson),
        events: x.events.map(toJson),
        sends: x.sends.map(toJson),
        suppressed,
      },
      200,
    );
  },
);

subscribersApi.openapi(
  createRoute({
    method: "get",
    path: "/subscribers/{id}/events",
    operationId: "listSubscriberEvents",
    tags,
    summary: "A subscriber's event timeline, newest first",
    ...authed("analyst"),
    request: { params: IdParamSchema, query: PageQuerySchema },
    responses: {
      200: jsonResponse(pageOf(EventSchema, "SubscriberEventPage"), "Events"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const page = await subscriberEvents(c.var.db, c.req.valid("param").id, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

subscribersApi.openapi(
  createRoute({
    method: "post",
    path: "/subscribers/{id}/lists",
    operationId: "updateSubscriberLists",
    tags,
    summary: "Add to and remove from lists (removal keeps the consent record, marked unsubscribed)",
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(MembershipChangeSchema) },
    responses: {
      200: jsonResponse(
        SubscriberDetailSchema.extend({ confirmationError: z.string().optional() }),
        "Updated",
      ),
      ...errors(400, 401, 403, 404, 422),
    },
  }),
  async (c) => {
    const deps = c.var.ctx;
    const { subscriber, pending } = await changeMemberships(
      deps,
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    const confirmationError = await confirm(c, pending);
    return c.json({ ...detailJson(subscriber), ...(confirmationError ? { confirmationError } : {}) }, 200);
  },
);

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { leaseSeconds } from "../../domain/sending/lease";
import { sendTransactional } from "../../domain/sending/transactional";
import { getTransactionalSend } from "../../domain/sending/transactional-ledger";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";

export const transactionalApi = new OpenAPIHono<HonoEnv>();

const TransactionalSchema = z
  .object({
    templateId: z.string().uuid(),
    to: z.string().trim().min(3).max(320),
    /** `data.*` in the template. */
    data: z.record(z.string(), z.unknown()).optional(),
    fromEmail: z.string().trim().max(320).email().optional(),
    fromName: z.string().trim().max(200).optional(),
    replyTo: z.string().trim().max(320).email().optional(),
    relayId: z.string().uuid().optional(),
    /**
     * `false`: no tracking pixel and no rewritten links in this message. Default: the template's
     * `track` (true unless it was turned off), within the organisation's tracking settings.
     */
    track: z.boolean().optional(),
  })
  .refine((b) => JSON.stringify(b.data ?? {}).length <= 64 * 1024, {
    message: "data must be at most 64 KB of JSON",
    path: ["data"],
  })
  .strict()
  .openapi("TransactionalSend", {
    example: {
      templateId: "0193b5a0-7a2b-7c3d-9e4f-5061728394a5",
      to: "ada@example.com",
      data: { orderNumber: "A-1042" },
    },
  });

const TransactionalResultSchema = z
  .object({
    id: z.string(),
    status: z.enum(["sent", "queued"]),
    messageId: z.string().nullable(),
    retryAt: z.string().optional(),
  })
  .openapi("TransactionalResult", {
    example: {
      id: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
      status: "sent",
      messageId: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
      retryAt: "2026-03-02T09:30:00.000Z",
    },
  });

transactionalApi.openapi(
  createRoute({
    method: "post",
    path: "/transactional",
    operationId: "sendTransactional",
    tags: ["Transactional"],
    summary:
      "Send one templated message now (200 sent; 202 queued for a retry when the relay is busy or failing for now)",
    description:
      "Sender and relay default to the settings. Suppressed addresses are refused (422, `details.code: suppressed`); a " +
      "permanent refusal by the relay is recorded as a bounce (422, `details.code: rejected`).",
    ...authed("editor"),
    request: { body: jsonBody(TransactionalSchema) },
    responses: {
      200: jsonResponse(TransactionalResultSchema, "Sent: the relay accepted it"),
      202: jsonResponse(TransactionalResultSchema, "Queued: will be retried"),
      ...errors(400, 401, 403, 404, 422, 429),
    },
  }),
  async (c) => {
    const result = await sendTransactional(
      { ...c.var.ctx, env: c.env },
      c.req.valid("json"),
      leaseSeconds(c.env),
    );
    const body = { ...result, id: String(result.id) };
    return result.status === "sent" ? c.json(body, 200) : c.json(body, 202);
  },
);

const TransactionalSendSchema = z
  .object({
    id: z.string(),
    to: z.string(),
    status: z.enum(["queued", "sending", "sent", "failed", "bounced", "skipped"]),
    templateId: z.string().nullable(),
    templateVersion: z.number().int().nullable(),
    attempts: z.number().int(),
    lastCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    messageId: z.string().nullable(),
    nextRetryAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("TransactionalSendStatus", {
    example: {
      id: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
      to: "ada@example.com",
      status: "queued",
      templateId: "0193b5a0-7a2b-7c3d-9e4f-5061728394a5",
      templateVersion: 3,
      attempts: 1,
      lastCode: 250,
      lastError: null,
      messageId: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
      nextRetryAt: "2026-03-02T09:30:00.000Z",
      sentAt: "2026-03-02T09:30:00.000Z",
      createdAt: "2026-03-02T09:30:00.000Z",
    },
  });

transactionalApi.openapi(
  createRoute({
    method: "get",
    path: "/transactional/{id}",
    operationId: "getTransactionalSend",
    tags: ["Transactional"],
    summary:
      "How a transactional send stands: queued, sent, failed or bounced, with attempts and the relay's reply",
    ...authed("analyst"),
    request: { params: z.object({ id: z.string().regex(/^[1-9][0-9]{0,17}$/, "must be a send id") }) },
    responses: {
      200: jsonResponse(TransactionalSendSchema, "The send"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) =>
    c.json(
      (await getTransactionalSend(c.var.db, Number(c.req.valid("param").id))) as z.infer<
        typeof TransactionalSendSchema
      >,
      200,
    ),
);

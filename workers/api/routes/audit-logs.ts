import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { AuditLogQuerySchema, AuditLogSchema } from "../../contract/audit";
import { PageQuerySchema, pageOf } from "../../contract/common";
import { listAuditLogs } from "../../domain/audit";
import { withAuditNames } from "../../domain/audit-names";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const auditLogsApi = new OpenAPIHono<HonoEnv>();

auditLogsApi.openapi(
  createRoute({
    method: "get",
    path: "/audit-logs",
    operationId: "listAuditLogs",
    tags: ["Audit"],
    summary: "Audit log, newest first, with actor and entity names",
    ...authed("admin"),
    request: { query: PageQuerySchema.extend(AuditLogQuerySchema.shape) },
    responses: {
      200: jsonResponse(pageOf(AuditLogSchema, "AuditLogPage"), "Audit rows"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listAuditLogs(c.var.db, c.req.valid("query"));
    const data = await withAuditNames(c.var.db, page.data);
    return c.json({ ...page, data: data.map(toJson) }, 200);
  },
);

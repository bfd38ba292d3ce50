import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { CreateSuppressionSchema, SuppressionQuerySchema, SuppressionSchema } from "../../contract/audience";
import { pageOf } from "../../contract/common";
import {
  createSuppression,
  deleteSuppression,
  listSuppressions,
} from "../../domain/audience/suppressions/admin";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const suppressionsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Suppressions"];

suppressionsApi.openapi(
  createRoute({
    method: "get",
    path: "/suppressions",
    operationId: "listSuppressions",
    tags,
    summary: "List suppressed addresses, newest first",
    ...authed("analyst"),
    request: { query: SuppressionQuerySchema },
    responses: {
      200: jsonResponse(pageOf(SuppressionSchema, "SuppressionPage"), "Suppressions"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listSuppressions(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

suppressionsApi.openapi(
  createRoute({
    method: "post",
    path: "/suppressions",
    operationId: "createSuppression",
    tags,
    summary: "Suppress an address: it is never sent to",
    ...authed("editor"),
    request: { body: jsonBody(CreateSuppressionSchema) },
    responses: { 201: jsonResponse(SuppressionSchema, "Suppressed"), ...errors(400, 401, 403) },
  }),
  async (c) => c.json(toJson(await createSuppression(c.var.ctx, c.req.valid("json"))), 201),
);

suppressionsApi.openapi(
  createRoute({
    method: "delete",
    path: "/suppressions/{email}",
    operationId: "deleteSuppression",
    tags,
    summary: "Lift a suppression",
    ...authed("editor"),
    request: {
      params: z.object({
        email: z
          .string()
          .min(3)
          .max(320)
          .openapi({ param: { name: "email", in: "path" } }),
      }),
    },
    responses: { 204: { description: "Lifted" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await deleteSuppression(c.var.ctx, c.req.valid("param").email);
    return c.body(null, 204);
  },
);

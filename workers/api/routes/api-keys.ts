import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { ApiKeySchema, CreateApiKeySchema, CreatedApiKeySchema } from "../../contract/api-keys";
import { IdParamSchema, PageQuerySchema, pageOf } from "../../contract/common";
import { createApiKey, listApiKeys, revokeApiKey } from "../../domain/api-keys";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const apiKeysApi = new OpenAPIHono<HonoEnv>();
const tags = ["API keys"];

apiKeysApi.openapi(
  createRoute({
    method: "get",
    path: "/api-keys",
    operationId: "listApiKeys",
    tags,
    summary: "List API keys (never their secrets)",
    ...authed("admin"),
    request: { query: PageQuerySchema },
    responses: {
      200: jsonResponse(pageOf(ApiKeySchema, "ApiKeyPage"), "API keys"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listApiKeys(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

apiKeysApi.openapi(
  createRoute({
    method: "post",
    path: "/api-keys",
    operationId: "createApiKey",
    tags,
    summary: "Create an API key; the key is in this response only",
    ...authed("admin"),
    request: { body: jsonBody(CreateApiKeySchema) },
    responses: { 201: jsonResponse(CreatedApiKeySchema, "Created"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const key = await createApiKey(c.var.ctx, c.req.valid("json"));
    return c.json(toJson(key), 201);
  },
);

apiKeysApi.openapi(
  createRoute({
    method: "delete",
    path: "/api-keys/{id}",
    operationId: "revokeApiKey",
    tags,
    summary: "Revoke an API key",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Revoked" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await revokeApiKey(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { CreateFieldSchema, FieldSchema, UpdateFieldSchema } from "../../contract/audience";
import { IdParamSchema, pageOf } from "../../contract/common";
import { createField, deleteField, listFields, updateField } from "../../domain/audience/fields";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const fieldsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Fields"];

fieldsApi.openapi(
  createRoute({
    method: "get",
    path: "/fields",
    operationId: "listFields",
    tags,
    summary: "List custom field definitions (all of them, by key)",
    ...authed("analyst"),
    responses: { 200: jsonResponse(pageOf(FieldSchema, "FieldPage"), "Fields"), ...errors(401, 403) },
  }),
  async (c) => {
    const rows = await listFields(c.var.db);
    return c.json({ data: rows.map(toJson), nextCursor: null, total: rows.length }, 200);
  },
);

fieldsApi.openapi(
  createRoute({
    method: "post",
    path: "/fields",
    operationId: "createField",
    tags,
    summary: "Define a custom field",
    ...authed("editor"),
    request: { body: jsonBody(CreateFieldSchema) },
    responses: { 201: jsonResponse(FieldSchema, "Created"), ...errors(400, 401, 403, 409) },
  }),
  async (c) => c.json(toJson(await createField(c.var.ctx, c.req.valid("json"))), 201),
);

fieldsApi.openapi(
  createRoute({
    method: "patch",
    path: "/fields/{id}",
    operationId: "updateField",
    tags,
    summary: "Change a field's label or options (key and type are fixed)",
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(UpdateFieldSchema) },
    responses: { 200: jsonResponse(FieldSchema, "Updated"), ...errors(400, 401, 403, 404, 422) },
  }),
  async (c) => {
    const row = await updateField(c.var.ctx, c.req.valid("param").id, c.req.valid("json"));
    return c.json(toJson(row), 200);
  },
);

fieldsApi.openapi(
  createRoute({
    method: "delete",
    path: "/fields/{id}",
    operationId: "deleteField",
    tags,
    summary: "Delete a field and the values subscribers hold for it",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await deleteField(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { CreateListSchema, ListQuerySchema, ListSchema, UpdateListSchema } from "../../contract/audience";
import { IdParamSchema, pageOf } from "../../contract/common";
import { createList, deleteList, getList, listLists, updateList } from "../../domain/audience/lists";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const listsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Lists"];

listsApi.openapi(
  createRoute({
    method: "get",
    path: "/lists",
    operationId: "listLists",
    tags,
    summary: "List mailing lists with member counts (archived ones with archived=true)",
    ...authed("analyst"),
    request: { query: ListQuerySchema },
    responses: { 200: jsonResponse(pageOf(ListSchema, "ListPage"), "Lists"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const page = await listLists(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

listsApi.openapi(
  createRoute({
    method: "post",
    path: "/lists",
    operationId: "createList",
    tags,
    summary: "Create a list",
    ...authed("editor"),
    request: { body: jsonBody(CreateListSchema) },
    responses: { 201: jsonResponse(ListSchema, "Created"), ...errors(400, 401, 403) },
  }),
  async (c) => c.json(toJson(await createList(c.var.ctx, c.req.valid("json"))), 201),
);

listsApi.openapi(
  createRoute({
    method: "get",
    path: "/lists/{id}",
    operationId: "getList",
    tags,
    summary: "Get a list",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(ListSchema, "The list"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(toJson(await getList(c.var.db, c.req.valid("param").id)), 200),
);

listsApi.openapi(
  createRoute({
    method: "patch",
    path: "/lists/{id}",
    operationId: "updateList",
    tags,
    summary: "Update a list",
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(UpdateListSchema) },
    responses: { 200: jsonResponse(ListSchema, "Updated"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const row = await updateList(c.var.ctx, c.req.valid("param").id, c.req.valid("json"));
    return c.json(toJson(row), 200);
  },
);

listsApi.openapi(
  createRoute({
    method: "delete",
    path: "/lists/{id}",
    operationId: "deleteList",
    tags,
    summary: "Delete a list without members; a list with members is archived (its consent records stay)",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted, or archived" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await deleteList(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { IdParamSchema, PageQuerySchema, pageOf } from "../../contract/common";
import {
  CreateRelaySchema,
  RelaySchema,
  RelayTestSchema,
  UpdatedRelaySchema,
  UpdateRelaySchema,
} from "../../contract/sending";
import { testRelayConnection } from "../../domain/sending/relays/relay-test";
import {
  createRelay,
  deleteRelay,
  getRelay,
  listRelays,
  updateRelay,
  viewRelay,
} from "../../domain/sending/relays/relays";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const relaysApi = new OpenAPIHono<HonoEnv>();
const tags = ["Relays"];

relaysApi.openapi(
  createRoute({
    method: "get",
    path: "/relays",
    operationId: "listRelays",
    tags,
    summary: "SMTP relays (credentials are never returned)",
    ...authed("analyst"),
    request: { query: PageQuerySchema },
    responses: { 200: jsonResponse(pageOf(RelaySchema, "RelayPage"), "Relays"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const page = await listRelays(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

relaysApi.openapi(
  createRoute({
    method: "post",
    path: "/relays",
    operationId: "createRelay",
    tags,
    summary: "Add an SMTP relay (the password is stored encrypted) or Cloudflare Email Service",
    description:
      '`kind: "cloudflare"` sends through the Worker\'s `EMAIL` (send_email) binding: transactional and ' +
      "system mail only, as Cloudflare's terms exclude bulk mail, so it cannot be the default relay (422) " +
      "nor a campaign's (422).",
    ...authed("admin"),
    request: { body: jsonBody(CreateRelaySchema) },
    responses: { 201: jsonResponse(RelaySchema, "Created"), ...errors(400, 401, 403, 422) },
  }),
  async (c) => {
    const row = await createRelay({ ...c.var.ctx, env: c.env }, c.req.valid("json"));
    return c.json(toJson(row), 201);
  },
);

relaysApi.openapi(
  createRoute({
    method: "get",
    path: "/relays/{id}",
    operationId: "getRelay",
    tags,
    summary: "A relay",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(RelaySchema, "The relay"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(toJson(viewRelay(await getRelay(c.var.db, c.req.valid("param").id))), 200),
);

relaysApi.openapi(
  createRoute({
    method: "patch",
    path: "/relays/{id}",
    operationId: "updateRelay",
    tags,
    summary: "Change a relay; `password: null` removes the stored password, leaving it out keeps it",
    description:
      "Changing the host, port or security without giving a password clears the stored one (it was given for " +
      "another endpoint): the answer then has `passwordCleared: true`.",
    ...authed("admin"),
    request: { params: IdParamSchema, body: jsonBody(UpdateRelaySchema) },
    responses: { 200: jsonResponse(UpdatedRelaySchema, "Updated"), ...errors(400, 401, 403, 404, 422) },
  }),
  async (c) => {
    const row = await updateRelay({ ...c.var.ctx, env: c.env }, c.req.valid("param").id, c.req.valid("json"));
    return c.json(toJson(row), 200);
  },
);

relaysApi.openapi(
  createRoute({
    method: "delete",
    path: "/relays/{id}",
    operationId: "deleteRelay",
    tags,
    summary: "Remove a relay (campaigns that named it fall back to the default relay)",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await deleteRelay(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

relaysApi.openapi(
  createRoute({
    method: "post",
    path: "/relays/{id}/test",
    operationId: "testRelay",
    tags,
    summary: "Test the connection: connect, TLS, greeting, EHLO and AUTH; names the step that failed",
    description:
      "Remote hosts are tried only on mail ports (25, 465, 587, 2525, 2465, 2587; a 400 otherwise); loopback on " +
      "any. Until an SMTP greeting is seen every failure gets the same answer (step `connect`), so the test " +
      "cannot probe ports; after it, the failing step and the server's reply are given. Credentials are never " +
      "sent without TLS, except to a loopback host.",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: {
      200: jsonResponse(RelayTestSchema, "The outcome (ok or the failed step)"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const relay = await getRelay(c.var.db, c.req.valid("param").id);
    return c.json(await testRelayConnection(c.env, relay), 200);
  },
);

import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import {
  createRelay,
  deleteRelay,
  getRelay,
  listRelays,
  relaySmtpOptions,
  updateRelay,
  viewRelay,
} from "../../domain/sending/relays";
import { toJson } from "../../lib/serialize";
import { SmtpError, verifySmtp } from "../../mail/smtp";
import type { HonoEnv } from "../context";
import { authed, errors, jsonBody, jsonResponse } from "../route";
import { IdParamSchema, PageQuerySchema, pageOf } from "../schemas/common";
import { CreateRelaySchema, RelaySchema, RelayTestSchema, UpdateRelaySchema } from "../schemas/sending";

export const relaysApi = new OpenAPIHono<HonoEnv>();
const tags = ["Relays"];

relaysApi.openapi(
  createRoute({
    method: "get",
    path: "/relays",
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
    tags,
    summary: "Add an SMTP relay (the password is stored encrypted)",
    ...authed("admin"),
    request: { body: jsonBody(CreateRelaySchema) },
    responses: { 201: jsonResponse(RelaySchema, "Created"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const row = await createRelay({ db: c.var.db, actor: c.var.actor, env: c.env }, c.req.valid("json"));
    return c.json(toJson(row), 201);
  },
);

relaysApi.openapi(
  createRoute({
    method: "get",
    path: "/relays/{id}",
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
    tags,
    summary: "Change a relay; `password: null` removes the stored password, leaving it out keeps it",
    ...authed("admin"),
    request: { params: IdParamSchema, body: jsonBody(UpdateRelaySchema) },
    responses: { 200: jsonResponse(RelaySchema, "Updated"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const row = await updateRelay(
      { db: c.var.db, actor: c.var.actor, env: c.env },
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    return c.json(toJson(row), 200);
  },
);

relaysApi.openapi(
  createRoute({
    method: "delete",
    path: "/relays/{id}",
    tags,
    summary: "Remove a relay (campaigns that named it fall back to the default relay)",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await deleteRelay({ db: c.var.db, actor: c.var.actor }, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

relaysApi.openapi(
  createRoute({
    method: "post",
    path: "/relays/{id}/test",
    tags,
    summary: "Test the connection: connect, TLS, greeting, EHLO and AUTH; says exactly which step failed",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: {
      200: jsonResponse(RelayTestSchema, "The outcome (ok or the failed step)"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const relay = await getRelay(c.var.db, c.req.valid("param").id);
    const options = await relaySmtpOptions(c.env, relay);
    const started = Date.now();
    try {
      const info = await verifySmtp({
        ...options,
        timeouts: { connect: 10_000, greeting: 15_000, command: 15_000 },
      });
      const how = `${info.secure ? "TLS" : "plain text"}${info.authenticated ? ", authenticated" : ""}`;
      return c.json(
        { ok: true, message: `Connected (${how})`, ...info, elapsedMs: Date.now() - started },
        200,
      );
    } catch (err) {
      if (!(err instanceof SmtpError)) throw err;
      return c.json({ ok: false, ...err.toJSON(), elapsedMs: Date.now() - started }, 200);
    }
  },
);

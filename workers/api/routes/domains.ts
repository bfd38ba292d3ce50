import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { IdParamSchema, PageQuerySchema, pageOf } from "../../contract/common";
import {
  CreateDomainSchema,
  DomainCheckSchema,
  DomainSchema,
  UpdateDomainSchema,
} from "../../contract/sending";
import { checkRecords } from "../../domain/sending/domains/dns-check";
import {
  createDomain,
  deleteDomain,
  getDomain,
  listDomains,
  markDomainVerified,
  updateDomain,
  viewDomain,
} from "../../domain/sending/domains/domains";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const domainsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Domains"];

domainsApi.openapi(
  createRoute({
    method: "get",
    path: "/domains",
    operationId: "listDomains",
    tags,
    summary: "Sending domains with their DKIM public keys and the DNS records to publish",
    ...authed("analyst"),
    request: { query: PageQuerySchema },
    responses: { 200: jsonResponse(pageOf(DomainSchema, "DomainPage"), "Domains"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const page = await listDomains(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

domainsApi.openapi(
  createRoute({
    method: "post",
    path: "/domains",
    operationId: "createDomain",
    tags,
    summary: "Add a sending domain: generates its DKIM key pair and returns the DNS records to publish",
    ...authed("admin"),
    request: { body: jsonBody(CreateDomainSchema) },
    responses: { 201: jsonResponse(DomainSchema, "Created, with `records`"), ...errors(400, 401, 403, 409) },
  }),
  async (c) => {
    const row = await createDomain({ ...c.var.ctx, env: c.env }, c.req.valid("json"));
    return c.json(toJson(row), 201);
  },
);

domainsApi.openapi(
  createRoute({
    method: "get",
    path: "/domains/{id}",
    operationId: "getDomain",
    tags,
    summary: "A sending domain and its records",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(DomainSchema, "The domain"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(toJson(viewDomain(await getDomain(c.var.db, c.req.valid("param").id))), 200),
);

domainsApi.openapi(
  createRoute({
    method: "patch",
    path: "/domains/{id}",
    operationId: "updateDomain",
    tags,
    summary: "Change the bounce (Return-Path) host",
    ...authed("admin"),
    request: { params: IdParamSchema, body: jsonBody(UpdateDomainSchema) },
    responses: { 200: jsonResponse(DomainSchema, "Updated"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const row = await updateDomain(c.var.ctx, c.req.valid("param").id, c.req.valid("json"));
    return c.json(toJson(row), 200);
  },
);

domainsApi.openapi(
  createRoute({
    method: "delete",
    path: "/domains/{id}",
    operationId: "deleteDomain",
    tags,
    summary: "Remove a sending domain and its keys (mail from it goes out unsigned)",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await deleteDomain(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

domainsApi.openapi(
  createRoute({
    method: "post",
    path: "/domains/{id}/verify",
    operationId: "verifyDomain",
    tags,
    summary: "Look the records up in DNS and say, per record, whether it is published right",
    description:
      "The domain counts as verified when every required record (the DKIM keys) is found as expected.",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(DomainCheckSchema, "Per-record results"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const row = await getDomain(c.var.db, c.req.valid("param").id);
    const checks = await checkRecords(c.env, viewDomain(row).records);
    const verified = checks.filter((k) => k.required).every((k) => k.status === "ok");
    const updated = await markDomainVerified(c.var.ctx, row.id, verified);
    return c.json({ verified, checks, domain: toJson(viewDomain(updated)) }, 200);
  },
);

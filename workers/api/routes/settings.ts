import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { SettingsSchema, UpdateSettingsSchema } from "../../contract/settings";
import { assertRelayExists } from "../../domain/sending/relays/relays";
import { getSettings, type OrgSettings, updateSettings } from "../../domain/settings";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { ForbiddenError } from "../../lib/errors";

export const settingsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Settings"];

settingsApi.openapi(
  createRoute({
    method: "get",
    path: "/settings",
    operationId: "getSettings",
    tags,
    summary: "Organisation settings (sender defaults, postal address, tracking, retention, sending rules)",
    ...authed("analyst"),
    responses: { 200: jsonResponse(SettingsSchema, "Settings"), ...errors(401, 403) },
  }),
  async (c) => c.json(await getSettings(c.var.db), 200),
);

settingsApi.openapi(
  createRoute({
    method: "patch",
    path: "/settings",
    operationId: "updateSettings",
    tags,
    summary: "Change some settings; nested groups may be given in part",
    description:
      "`webhooks.allowPrivateTargets` (owner only) lets outgoing webhooks and workflow webhook nodes call " +
      "private, loopback and link-local addresses, for local receivers.",
    ...authed("admin"),
    request: { body: jsonBody(UpdateSettingsSchema) },
    responses: { 200: jsonResponse(SettingsSchema, "Settings"), ...errors(400, 401, 403, 422) },
  }),
  async (c) => {
    const patch = c.req.valid("json");
    if (patch.webhooks && c.var.ctx.actor.role !== "owner")
      throw ForbiddenError("Only the owner may change webhooks.allowPrivateTargets");
    // The default relay carries campaigns and workflows: never Cloudflare Email Service (422).
    if (patch.defaultRelayId)
      await assertRelayExists(c.var.db, patch.defaultRelayId, ["defaultRelayId"], { bulk: true });
    for (const key of ["transactionalRelayId", "systemRelayId"] as const) {
      const id = patch[key];
      if (id) await assertRelayExists(c.var.db, id, [key]);
    }
    const next = await updateSettings(c.var.ctx, patch as Partial<OrgSettings>);
    return c.json(next, 200);
  },
);

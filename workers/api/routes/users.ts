import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { IdParamSchema, PageQuerySchema, pageOf } from "../../contract/common";
import { CreatedUserSchema, CreateUserSchema, UpdateUserSchema, UserSchema } from "../../contract/users";
import { invitationMail, setPasswordLink, userLanguage } from "../../domain/account-mail";
import { deliverSystemMail } from "../../domain/system-mail";
import { createUser, deleteUser, getUser, listUsers, updateUser } from "../../domain/users";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { AppError } from "../../lib/errors";
import { toJson } from "../../lib/serialize";

/** Why a system mail did not go out, in words safe to show an admin (no relay secrets). */
const mailFailure = (err: unknown) =>
  err instanceof AppError ? err.message : "The mail relay (SMTP_URL) did not accept the message";

export const usersApi = new OpenAPIHono<HonoEnv>();
const tags = ["Users"];

usersApi.openapi(
  createRoute({
    method: "get",
    path: "/users",
    operationId: "listUsers",
    tags,
    summary: "List users",
    ...authed("admin"),
    request: { query: PageQuerySchema },
    responses: { 200: jsonResponse(pageOf(UserSchema, "UserPage"), "Users"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const page = await listUsers(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

usersApi.openapi(
  createRoute({
    method: "post",
    path: "/users",
    operationId: "createUser",
    tags,
    summary: "Create a user, or invite them by mail (no password given)",
    description:
      "With `password` the user can sign in at once. Without it they are invited: mailed (system mail) a single-use link to set their own password, valid for 7 days; `invitation` says whether the mail went out.",
    ...authed("admin"),
    request: { body: jsonBody(CreateUserSchema) },
    responses: { 201: jsonResponse(CreatedUserSchema, "Created"), ...errors(400, 401, 403, 409) },
  }),
  async (c) => {
    const { user, invitation } = await createUser(
      { ...c.var.ctx, pepper: c.env.PASSWORD_PEPPER },
      c.req.valid("json"),
    );
    if (!invitation) return c.json(toJson(user), 201);
    const link = setPasswordLink(c.env.APP_URL || new URL(c.req.url).origin, invitation);
    const inviter = c.var.actor.type === "user" ? c.var.actor.label : null;
    try {
      const lang = userLanguage(user, c.req.header("accept-language"));
      await deliverSystemMail(c.var.db, c.env, invitationMail(user, inviter ?? null, link, lang));
      return c.json({ ...toJson(user), invitation: { sent: true } }, 201);
    } catch (err) {
      // The user stays invited: deleting and inviting again, or "Forgot password?", sends a new link.
      console.error(`request ${c.var.requestId}: invitation mail failed:`, err);
      return c.json({ ...toJson(user), invitation: { sent: false, error: mailFailure(err) } }, 201);
    }
  },
);

usersApi.openapi(
  createRoute({
    method: "get",
    path: "/users/{id}",
    operationId: "getUser",
    tags,
    summary: "Get a user",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(UserSchema, "The user"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(toJson(await getUser(c.var.db, c.req.valid("param").id)), 200),
);

usersApi.openapi(
  createRoute({
    method: "patch",
    path: "/users/{id}",
    operationId: "updateUser",
    tags,
    summary: "Update a user (changing the password ends their sessions)",
    description:
      "Admins update anyone (owners only by owners). Every signed-in user may set their own `locale`, the dashboard's language; `null` follows the browser.",
    ...authed("analyst"),
    request: { params: IdParamSchema, body: jsonBody(UpdateUserSchema) },
    responses: { 200: jsonResponse(UserSchema, "Updated"), ...errors(400, 401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const deps = { ...c.var.ctx, pepper: c.env.PASSWORD_PEPPER };
    const user = await updateUser(deps, c.req.valid("param").id, c.req.valid("json"));
    return c.json(toJson(user), 200);
  },
);

usersApi.openapi(
  createRoute({
    method: "delete",
    path: "/users/{id}",
    operationId: "deleteUser",
    tags,
    summary: "Delete a user; the API keys they made are revoked",
    ...authed("admin"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404, 422) },
  }),
  async (c) => {
    await deleteUser(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

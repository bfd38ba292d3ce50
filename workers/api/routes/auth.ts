import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  LoginSchema,
  MeSchema,
  RefreshSchema,
  SessionSchema,
  SetupSchema,
  SetupStatusSchema,
} from "../../contract/auth";
import { ErrorSchema, OkSchema } from "../../contract/common";
import {
  AcceptedSchema,
  PasswordResetConfirmSchema,
  PasswordResetRequestSchema,
  PasswordSetSchema,
} from "../../contract/users";
import { passwordResetMail, setPasswordLink, userLanguage } from "../../domain/account-mail";
import { requestPasswordReset, setPasswordWithToken } from "../../domain/accounts";
import { accountLimitedMail } from "../../domain/login-notice";
import {
  login,
  logout,
  needsSetup,
  refreshSession,
  type SessionTokens,
  setupOwner,
} from "../../domain/sessions";
import { deliverSystemMail } from "../../domain/system-mail";
import { getUser } from "../../domain/users";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse, open } from "../../http/route";
import { openDbFor } from "../../lib/db";
import { toJson } from "../../lib/serialize";
import type { SystemMail } from "../../mail/system";

export const auth = new OpenAPIHono<HonoEnv>();

const secrets = (env: HonoEnv["Bindings"]) => ({ jwtSecret: env.JWT_SECRET, pepper: env.PASSWORD_PEPPER });
const session = (s: SessionTokens) => ({ ...s, user: toJson(s.user) });

auth.openapi(
  createRoute({
    method: "get",
    path: "/auth/setup",
    operationId: "getSetupStatus",
    tags: ["Auth"],
    summary: "Whether first-run setup is still needed",
    ...open,
    responses: {
      200: jsonResponse(SetupStatusSchema, "Setup status"),
      // No input to refuse: documented so clients type every error the same way.
      "4XX": jsonResponse(ErrorSchema, "A client error, in the error envelope"),
    },
  }),
  async (c) => c.json({ needsSetup: await needsSetup(c.var.db) }, 200),
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/auth/setup",
    operationId: "createFirstOwner",
    tags: ["Auth"],
    summary: "Create the first owner (only while no user exists)",
    ...open,
    request: { body: jsonBody(SetupSchema) },
    responses: { 201: jsonResponse(SessionSchema, "Owner created and signed in"), ...errors(400, 409) },
  }),
  async (c) => {
    const s = await setupOwner(c.var.db, secrets(c.env), c.var.actor, c.req.valid("json"));
    return c.json(session(s), 201);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/auth/login",
    operationId: "signIn",
    tags: ["Auth"],
    summary: "Sign in with email and password",
    description:
      "Attempts are counted before the password is checked. After 5 for an email from one IP, or 10 for an email from all IPs together (except from an IP the account signed in from recently), answers 429 with Retry-After for 15 minutes; the account's owner is mailed once per such window.",
    ...open,
    request: { body: jsonBody(LoginSchema) },
    responses: { 200: jsonResponse(SessionSchema, "Signed in"), ...errors(400, 401, 429) },
  }),
  async (c) => {
    const hooks = {
      onAccountLimited: (
        user: { email: string; name: string; locale?: string | null },
        retryAfterSeconds: number,
      ) =>
        mailLater(
          c,
          accountLimitedMail(
            user,
            { ip: c.var.actor.ip, retryAfterSeconds },
            userLanguage(user, c.req.header("accept-language")),
          ),
        ),
    };
    return c.json(
      session(await login(c.var.db, secrets(c.env), c.var.actor, c.req.valid("json"), hooks)),
      200,
    );
  },
);

/**
 * Sends a notice after the response, so neither the answer nor its timing depends on it; on a
 * database handle of its own (it reads the system relay), as the request's closes with the response.
 */
function mailLater(c: Context<HonoEnv>, mail: SystemMail): void {
  const requestId = c.var.requestId;
  const conn = openDbFor(c.env);
  c.executionCtx.waitUntil(
    deliverSystemMail(conn.db, c.env, mail)
      .catch((err) => console.error(`request ${requestId}: notice mail failed:`, err))
      .finally(() => conn.close()),
  );
}

auth.openapi(
  createRoute({
    method: "post",
    path: "/auth/refresh",
    operationId: "refreshSession",
    tags: ["Auth"],
    summary: "Exchange a refresh token for a new pair",
    description: "The presented token stops working. Presenting a spent token again revokes the session.",
    ...open,
    request: { body: jsonBody(RefreshSchema) },
    responses: { 200: jsonResponse(SessionSchema, "New token pair"), ...errors(400, 401) },
  }),
  async (c) => {
    const s = await refreshSession(c.var.db, secrets(c.env), c.var.actor, c.req.valid("json").refreshToken);
    return c.json(session(s), 200);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/auth/logout",
    operationId: "signOut",
    tags: ["Auth"],
    summary: "Revoke the session of a refresh token",
    ...open,
    request: { body: jsonBody(RefreshSchema) },
    responses: { 200: jsonResponse(OkSchema, "Signed out"), ...errors(400) },
  }),
  async (c) => {
    await logout(c.var.db, c.var.actor, c.req.valid("json").refreshToken);
    return c.json({ ok: true as const }, 200);
  },
);

auth.openapi(
  createRoute({
    method: "get",
    path: "/me",
    operationId: "getCurrentUser",
    tags: ["Auth"],
    summary: "The caller: user or API key, and role",
    ...authed("analyst"),
    responses: { 200: jsonResponse(MeSchema, "The caller"), ...errors(401) },
  }),
  async (c) => {
    const { actor } = c.var;
    const role = actor.role ?? "analyst";
    if (actor.type === "user" && actor.id) {
      return c.json({ user: toJson(await getUser(c.var.db, actor.id)), apiKey: null, role }, 200);
    }
    return c.json({ user: null, apiKey: { id: actor.id ?? "", name: actor.label ?? "" }, role }, 200);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/auth/password-reset",
    operationId: "requestPasswordReset",
    tags: ["Auth"],
    summary: "Mail a password-reset link to an account's address",
    description:
      "Always 202, whether or not an account has this address (nothing tells them apart). An account gets a single-use link valid for an hour, at most 3 an hour; more than 10 requests from one address in 15 minutes are a 429.",
    ...open,
    request: { body: jsonBody(PasswordResetRequestSchema) },
    responses: { 202: jsonResponse(AcceptedSchema, "Accepted"), ...errors(400, 429) },
  }),
  async (c) => {
    const reset = await requestPasswordReset(c.var.db, c.var.actor, c.req.valid("json").email);
    if (reset) {
      const link = setPasswordLink(c.env.APP_URL || new URL(c.req.url).origin, reset.token);
      mailLater(
        c,
        passwordResetMail(reset.user, link, userLanguage(reset.user, c.req.header("accept-language"))),
      );
    }
    return c.json({ accepted: true as const }, 202);
  },
);

auth.openapi(
  createRoute({
    method: "post",
    path: "/auth/password-reset/confirm",
    operationId: "confirmPasswordReset",
    tags: ["Auth"],
    summary: "Set a password with the token of an invitation or reset link",
    description:
      "The token works once and until it expires; using it spends the user's other links and ends all their sessions. 422 when it is expired, spent or unknown.",
    ...open,
    request: { body: jsonBody(PasswordResetConfirmSchema) },
    responses: { 200: jsonResponse(PasswordSetSchema, "Password set"), ...errors(400, 422) },
  }),
  async (c) => {
    const { email } = await setPasswordWithToken(
      c.var.db,
      c.env.PASSWORD_PEPPER,
      c.var.actor,
      c.req.valid("json"),
    );
    return c.json({ ok: true as const, email }, 200);
  },
);

import type { MiddlewareHandler } from "hono";
import type { Role } from "../../schema/users";
import { type Actor, hasRole } from "../domain/actor";
import { authenticateApiKey, looksLikeApiKey, touchApiKey } from "../domain/api-keys";
import { userForSession } from "../domain/sessions";
import { ForbiddenError, UnauthorizedError } from "../lib/errors";
import { verifyAccessToken } from "../lib/jwt";
import type { HonoEnv } from "./context";

/** The caller's IP as Cloudflare saw it; clients cannot set this header through Cloudflare. */
export const clientIp = (req: Request) => req.headers.get("cf-connecting-ip");

/** The anonymous actor of a request, before (or without) authentication. */
export function publicActor(req: Request, requestId: string): Actor {
  return {
    type: "public",
    id: null,
    label: null,
    role: null,
    ip: clientIp(req),
    userAgent: req.headers.get("user-agent"),
    requestId,
  };
}

/**
 * The one authorization mechanism: authenticates the bearer token (access JWT or API key) and
 * requires at least `min` role. 401 without valid credentials, 403 when the role is too weak.
 */
export function requireRole(min: Role): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1]) throw UnauthorizedError();
    const token = m[1];
    const base = c.var.actor;
    let actor: Actor | null = null;
    if (looksLikeApiKey(token)) {
      const key = await authenticateApiKey(c.var.db, token);
      if (key) {
        actor = { ...base, type: "api_key", id: key.id, label: key.name, role: key.effectiveRole };
        c.executionCtx.waitUntil(touchApiKey(c.var.db, key.id).catch(() => undefined));
      }
    } else {
      const claims = await verifyAccessToken(token, c.env.JWT_SECRET);
      const user = claims ? await userForSession(c.var.db, claims.sub, claims.sid) : null;
      if (user) actor = { ...base, type: "user", id: user.id, label: user.email, role: user.role };
    }
    if (!actor) throw UnauthorizedError("Invalid or expired credentials");
    if (!hasRole(actor.role, min)) throw ForbiddenError(`This needs the ${min} role or higher`);
    c.set("actor", actor);
    c.set("ctx", { ...c.var.ctx, actor });
    await next();
  };
}

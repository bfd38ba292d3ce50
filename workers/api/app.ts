import { OpenAPIHono, type OpenAPIHonoOptions, type z } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { fieldLabel, unknownKeysMessage } from "../contract/messages";
import { queuesOf } from "../domain/context";
import { checkEnv } from "../env";
import { publicActor } from "../http/auth";
import type { HonoEnv } from "../http/context";
import { webhookRoutes } from "../inbound/webhooks/routes";
import { openDbFor } from "../lib/db";
import { AppError } from "../lib/errors";
import { findUnstorable } from "../lib/storable";
import { publicRoutes } from "../public/routes";
import { openApiConfig } from "./openapi";
import { analyticsApi } from "./routes/analytics";
import { apiKeysApi } from "./routes/api-keys";
import { assetsApi, isAssetUpload } from "./routes/assets";
import { auditLogsApi } from "./routes/audit-logs";
import { auth } from "./routes/auth";
import { campaignsApi } from "./routes/campaigns";
import { domainsApi } from "./routes/domains";
import { fieldsApi } from "./routes/fields";
import { importsApi, isImportUpload } from "./routes/imports";
import { listFormApi } from "./routes/list-form";
import { listsApi } from "./routes/lists";
import { relaysApi } from "./routes/relays";
import { segmentsApi } from "./routes/segments";
import { settingsApi } from "./routes/settings";
import { subscribersApi } from "./routes/subscribers";
import { suppressionsApi } from "./routes/suppressions";
import { templatesApi } from "./routes/templates";
import { transactionalApi } from "./routes/transactional";
import { usersApi } from "./routes/users";
import { webhooksOutApi } from "./routes/webhooks-out";
import { workflowsApi } from "./routes/workflows";

/** JSON bodies above this are refused with 413 (imports have their own, larger limit). */
const JSON_BODY_LIMIT = 1024 * 1024;

function errorBody(c: Context<HonoEnv>, code: string, message: string, details?: unknown) {
  return {
    error: { code, message, requestId: c.var.requestId ?? "", ...(details === undefined ? {} : { details }) },
  };
}

type App = OpenAPIHono<HonoEnv>;

/** Builds the Hono app: middleware, resources, OpenAPI document and docs. */
export function createApp() {
  const app = new OpenAPIHono<HonoEnv>({ defaultHook: validationHook });
  // Order matters: the guards run before the database is opened, and both before any route.
  useRequestGuards(app);
  useRequestContext(app);
  mountRoutes(app);
  serveOpenApi(app);
  handleErrors(app);
  return app;
}

/** Validation failures become the one error envelope with zod's issues in `details`. */
const validationHook: OpenAPIHonoOptions<HonoEnv>["defaultHook"] = (result) => {
  if (!result.success) {
    const issues = result.error.issues.map(issueDetail);
    throw new AppError("validation_failed", validationSummary(issues), issues);
  }
  // Valid by its schema, yet input the database cannot store (NUL), mail cannot encode (a lone
  // surrogate) or a recursive walk cannot survive (10,000-deep JSON) would fail later as a 500:
  // refuse it here, for every body, query and path.
  const bad = findUnstorable(result.data);
  if (bad) {
    throw new AppError("validation_failed", "Request validation failed", [{ ...bad, code: "invalid_input" }]);
  }
};

/**
 * One issue as `details` carries it: the path, people's words (a schema's own lower-case fragment
 * such as "at least 12 characters" gets its field's label in front), the code, and the facts the
 * dashboard re-checks a field against to clear its message once fixed (`issueStillApplies`).
 */
function issueDetail(issue: z.core.$ZodIssue) {
  const facts = issue as z.core.$ZodIssue & Record<string, unknown>;
  const message = /^[a-z]/.test(issue.message)
    ? `${fieldLabel(issue.path)}: ${issue.message}`
    : issue.message;
  const detail: Record<string, unknown> = { path: issue.path, message, code: issue.code };
  for (const key of ["origin", "expected", "format", "minimum", "maximum", "inclusive", "keys", "values"]) {
    const value = facts[key];
    if (value !== undefined) detail[key] = typeof value === "bigint" ? Number(value) : value;
  }
  return detail as { path: PropertyKey[]; message: string; code: string; keys?: string[] };
}

/** The envelope's message: unknown keys named (a typo there fails silently otherwise), else the first issue. */
function validationSummary(issues: ReturnType<typeof issueDetail>[]): string {
  const unknown = issues.filter((i) => i.code === "unrecognized_keys");
  if (unknown.length > 0) {
    const where = (i: (typeof unknown)[number]) => (i.path.length ? ` in ${i.path.join(".")}` : "");
    return unknown.map((i) => `${unknownKeysMessage(i.keys ?? [])}${where(i)}`).join("; ");
  }
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return first ? `${first.message}${more}` : "Request validation failed";
}

/** Request id, configuration check, security headers, CORS, and the JSON media type and size. */
function useRequestGuards(app: App) {
  app.use("*", requestId({ headerName: "X-Request-Id" }));
  app.use("*", async (c, next) => {
    const problems = checkEnv(c.env);
    if (problems.length > 0) {
      console.error(`edgepost: refusing requests, configuration incomplete: ${problems.join("; ")}`);
      throw new AppError("misconfigured", `Server configuration incomplete: ${problems.join("; ")}`);
    }
    await next();
  });
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "same-origin", referrerPolicy: "no-referrer" }));
  app.use(
    "/api/*",
    cors({
      origin: (origin, c: Context<HonoEnv>) => {
        const allowed = (c.env.CORS_ORIGINS ?? "").split(",").map((o) => o.trim());
        return allowed.includes(origin) ? origin : null;
      },
      allowHeaders: ["Authorization", "Content-Type", "X-Request-Id"],
      allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
      exposeHeaders: ["X-Request-Id", "Retry-After"],
      maxAge: 600,
    }),
  );
  useJsonBodies(app);
}

/** The uploads (CSV imports, images) check their own media type and size, after authentication. */
const isUpload = (method: string, path: string) =>
  isImportUpload(method, path) || isAssetUpload(method, path);

/** API bodies must be JSON and at most JSON_BODY_LIMIT bytes, except the uploads. */
function useJsonBodies(app: App) {
  app.use("/api/v1/*", async (c, next) => {
    const length = c.req.header("content-length");
    const hasBody = length ? Number(length) > 0 : c.req.header("transfer-encoding") !== undefined;
    const type = c.req.header("content-type") ?? "";
    if (isUpload(c.req.method, c.req.path)) return next();
    if (hasBody && ["POST", "PUT", "PATCH"].includes(c.req.method) && !/^application\/json\b/i.test(type)) {
      throw new AppError("unsupported_media_type", "Send JSON with Content-Type: application/json");
    }
    await next();
  });
  const jsonBodyLimit = bodyLimit({
    maxSize: JSON_BODY_LIMIT,
    onError: () => {
      throw new AppError("payload_too_large", `Request body is larger than ${JSON_BODY_LIMIT} bytes`);
    },
  });
  app.use("/api/v1/*", (c, next) => (isUpload(c.req.method, c.req.path) ? next() : jsonBodyLimit(c, next)));
}

/** The actor, and one database handle per request, closed after the response. */
function useRequestContext(app: App) {
  // Nothing is cached across requests.
  app.use("*", async (c, next) => {
    c.set("actor", publicActor(c.req.raw, c.var.requestId));
    if (c.req.path === "/api/v1/openapi.json" || c.req.path === "/api/docs") return next();
    const conn = openDbFor(c.env);
    c.set("db", conn.db);
    c.set("ctx", { db: conn.db, actor: c.var.actor, queues: queuesOf(c.env) });
    try {
      await next();
    } finally {
      c.executionCtx.waitUntil(conn.close());
    }
  });
}

/** /healthz, the public pages and webhooks, and every /api/v1 resource. */
function mountRoutes(app: App) {
  app.get("/healthz", async (c) => {
    try {
      await withTimeout(c.var.db.execute(sql`select 1`), 5000);
      return c.json({ ok: true, db: "ok" });
    } catch (err) {
      console.error(`healthz: database check failed (request ${c.var.requestId}):`, err);
      return c.json({ ok: false, db: "unreachable" }, 503);
    }
  });

  // Subscriber-facing pages and /subscribe: server-rendered, outside the JSON-only API.
  app.route("/", publicRoutes);
  app.route("/", webhookRoutes);

  const v1 = new OpenAPIHono<HonoEnv>({ defaultHook: app.defaultHook });
  v1.route("/", auth);
  v1.route("/", usersApi);
  v1.route("/", apiKeysApi);
  v1.route("/", auditLogsApi);
  v1.route("/", fieldsApi);
  v1.route("/", listsApi);
  v1.route("/", subscribersApi);
  v1.route("/", listFormApi);
  v1.route("/", segmentsApi);
  v1.route("/", suppressionsApi);
  v1.route("/", importsApi);
  v1.route("/", templatesApi);
  v1.route("/", assetsApi);
  v1.route("/", campaignsApi);
  v1.route("/", transactionalApi);
  v1.route("/", workflowsApi);
  v1.route("/", relaysApi);
  v1.route("/", domainsApi);
  v1.route("/", settingsApi);
  v1.route("/", webhooksOutApi);
  v1.route("/", analyticsApi);
  app.route("/api/v1", v1);
}

/** The OpenAPI 3.1 document and the Scalar page that renders it. */
function serveOpenApi(app: App) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An access token from /auth/login, or an API key (ep_…)",
  });
  app.doc31("/api/v1/openapi.json", (c) =>
    openApiConfig({ url: new URL(c.req.url).origin, description: "This Edgepost" }),
  );
  app.get(
    "/api/docs",
    Scalar({ url: "/api/v1/openapi.json", cdn: "/vendor/scalar.js", pageTitle: "Edgepost API" }),
  );
}

/** Unknown routes and every thrown error end in the one error envelope. */
function handleErrors(app: App) {
  app.notFound((c) => c.json(errorBody(c, "not_found", `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    if (err instanceof AppError) {
      if (err.retryAfter) c.header("Retry-After", String(err.retryAfter));
      if (err.status >= 500) console.error(`request ${c.var.requestId}: ${err.code}: ${err.message}`);
      return c.json(errorBody(c, err.code, err.message, err.details), err.status);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const code =
        err.status === 413 ? "payload_too_large" : err.status === 401 ? "unauthorized" : "bad_request";
      return c.json(errorBody(c, code, err.message || "Bad request"), err.status);
    }
    console.error(`request ${c.var.requestId}: unhandled error`, err);
    return c.json(errorBody(c, "internal", "Something went wrong on our side; quote the request id"), 500);
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)),
  ]);
}

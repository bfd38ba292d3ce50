import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/net";
import { generateSecrets } from "../../scripts/lib/secrets";
import { type RunningWorker, startWorker } from "../../scripts/lib/worker";
import { api, ownerLogin, stack } from "../support/api";

describe("health and docs", () => {
  it("healthz checks the database", async () => {
    const res = await api("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, db: "ok" });
  });

  it("serves an OpenAPI 3.1 document that covers the contract's routes", async () => {
    const res = await api("GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const paths = Object.keys(res.body.paths);
    for (const p of [
      "/auth/setup",
      "/auth/login",
      "/auth/refresh",
      "/auth/logout",
      "/me",
      "/users",
      "/users/{id}",
      "/api-keys",
      "/api-keys/{id}",
      "/audit-logs",
    ]) {
      expect(paths).toContain(`/api/v1${p}`);
    }
    expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(res.body.components.schemas.Error).toBeDefined();
  });

  it("serves the interactive reference with its script from this origin", async () => {
    const res = await fetch(`${stack().baseUrl}/api/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/api/v1/openapi.json");
    expect(html).toContain("/vendor/scalar.js");
    expect((await fetch(`${stack().baseUrl}/vendor/scalar.js`)).status).toBe(200);
  });
});

describe("HTTP conventions", () => {
  it("answers unknown API routes with the error envelope and a request id", async () => {
    const res = await api("GET", "/api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "not_found" });
    expect(res.body.error.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("sets secure headers", async () => {
    const res = await api("GET", "/healthz");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("strict-transport-security")).toContain("max-age");
  });

  it("refuses non-JSON bodies with 415 and malformed JSON with 400", async () => {
    const owner = await ownerLogin();
    const form = await api("POST", "/api/v1/api-keys", {
      token: owner.accessToken,
      body: "name=x&role=editor",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const broken = await api("POST", "/api/v1/api-keys", { token: owner.accessToken, body: "{not json" });
    expect(broken.status).toBe(400);
    expect(broken.body.error.requestId).toBeTruthy();
  });

  it("refuses bodies over 1 MB with 413", async () => {
    const res = await api("POST", "/api/v1/auth/login", {
      body: JSON.stringify({ email: "a@b.c", password: "x".repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("allows CORS only for configured origins", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack().baseUrl}/api/v1/me`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "GET",
          "access-control-request-headers": "authorization",
        },
      });
    const evil = await preflight("https://evil.example");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const ok = await preflight("https://dash.edgepost.test");
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://dash.edgepost.test");
  });
});

describe("configuration and failure", () => {
  const started: Array<{ worker: RunningWorker; dir: string }> = [];
  afterAll(async () => {
    for (const { worker, dir } of started) {
      await worker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  const boot = async (vars: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), "edgepost-cfg-"));
    const worker = await startWorker({ persistTo: dir, vars, waitHealthy: false, snapshot: true });
    started.push({ worker, dir });
    return worker;
  };

  it("refuses to serve with a clear error naming each missing secret, and never its value", async () => {
    const { JWT_SECRET: _missing, ...rest } = generateSecrets();
    const worker = await boot({
      ...rest,
      PASSWORD_PEPPER: "short",
      DATABASE_URL: stack().databaseUrl,
      ENVIRONMENT: "test",
    });
    const res = await fetch(`${worker.url}/api/v1/me`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("misconfigured");
    expect(body.error.message).toContain("JWT_SECRET");
    expect(body.error.message).toContain("PASSWORD_PEPPER");
    expect(body.error.message).not.toContain(rest.TRACKING_SECRET);
  });

  it("healthz answers 503 when the database is unreachable, without leaking why", async () => {
    const port = await freePort();
    const worker = await boot({
      ...generateSecrets(),
      DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${port}/nothing`,
      ENVIRONMENT: "test",
    });
    const res = await fetch(`${worker.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, db: "unreachable" });
    const login = await fetch(`${worker.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "a@b.c", password: "whatever" }),
    });
    expect(login.status).toBe(500);
    const text = await login.text();
    expect(text).toContain("internal");
    expect(text).not.toMatch(/hunter2|ECONNREFUSED|127\.0\.0\.1|stack/i);
  });
});

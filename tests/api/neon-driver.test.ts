import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NeonProxy, startNeonProxy } from "../support/neon-proxy";
import { type Stack, startStack } from "../support/stack";

// Production on Neon uses @neondatabase/serverless over WebSockets, not pg over TCP. This runs the
// real Worker with that driver forced, through a local WebSocket-to-TCP proxy, so the Neon path is
// exercised end to end (transactions included: setup writes a user and its audit row together).
describe("the Neon serverless driver", () => {
  let proxy: NeonProxy;
  let stack: Stack;

  beforeAll(async () => {
    proxy = await startNeonProxy();
    stack = await startStack({ vars: { DATABASE_DRIVER: "neon", NEON_WS_PROXY: proxy.address } });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
  });

  async function call(method: string, path: string, body?: unknown, token?: string) {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: {
        ...(body ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it("serves health, setup (a transaction), login and an audited read through the proxy", async () => {
    expect(await call("GET", "/healthz")).toEqual({ status: 200, body: { ok: true, db: "ok" } });
    const owner = { email: "neon@example.com", password: "a long neon password", name: "Neon" };
    expect((await call("POST", "/api/v1/auth/setup", owner)).status).toBe(201);
    const login = await call("POST", "/api/v1/auth/login", { email: owner.email, password: owner.password });
    expect(login.status).toBe(200);
    const logs = await call("GET", "/api/v1/audit-logs", undefined, login.body.accessToken);
    expect(logs.status).toBe(200);
    expect(logs.body.data.map((r: { action: string }) => r.action)).toContain("auth.setup");
    // Every request opened its own connection through the proxy (none cached across requests).
    expect(proxy.connections()).toBeGreaterThanOrEqual(4);
  });
});

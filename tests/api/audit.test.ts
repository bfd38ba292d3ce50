import { describe, expect, it } from "vitest";
import { api, ownerLogin, uniqueEmail } from "../support/api";

describe("audit log", () => {
  it("records each mutation with actor, action, entity, diff, ip and user agent, without secrets", async () => {
    const owner = await ownerLogin();
    const email = uniqueEmail("audited");
    const created = await api("POST", "/api/v1/users", {
      token: owner.accessToken,
      body: { email, name: "Audited", role: "analyst", password: "super secret pw 1" },
      headers: { "user-agent": "audit-test/1.0", "cf-connecting-ip": "192.0.2.44" },
    });
    const id = created.body.id;
    await api("PATCH", `/api/v1/users/${id}`, {
      token: owner.accessToken,
      body: { name: "Renamed", password: "super secret pw 2" },
    });
    const res = await api("GET", `/api/v1/audit-logs?entity=user&limit=500`, { token: owner.accessToken });
    const rows = res.body.data.filter((r: { entityId: string }) => r.entityId === id);
    const byAction = Object.fromEntries(rows.map((r: { action: string }) => [r.action, r]));
    expect(byAction["user.create"]).toMatchObject({
      actorType: "user",
      actorId: owner.user.id,
      entity: "user",
      userAgent: "audit-test/1.0",
      ip: "192.0.2.44",
      diff: { after: { email, role: "analyst" } },
    });
    expect(byAction["user.update"].diff).toEqual({
      before: { name: "Audited" },
      after: { name: "Renamed", password: "[redacted]" },
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/super secret pw|pbkdf2/);
  });

  it("records API key creation without the key", async () => {
    const owner = await ownerLogin();
    const key = await api("POST", "/api/v1/api-keys", {
      token: owner.accessToken,
      body: { name: "audited key", role: "analyst" },
    });
    const res = await api("GET", `/api/v1/audit-logs?entity=api_key&limit=500`, { token: owner.accessToken });
    const row = res.body.data.find((r: { entityId: string }) => r.entityId === key.body.id);
    expect(row.action).toBe("api_key.create");
    expect(JSON.stringify(res.body)).not.toContain(key.body.key);
  });

  it("filters by actor and time range, newest first, with a working cursor", async () => {
    const owner = await ownerLogin();
    const since = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 3; i++) {
      await api("POST", "/api/v1/api-keys", {
        token: owner.accessToken,
        body: { name: `page ${i}`, role: "analyst" },
      });
    }
    const q = `actorId=${owner.user.id}&from=${encodeURIComponent(since)}&limit=2`;
    const first = await api("GET", `/api/v1/audit-logs?${q}`, { token: owner.accessToken });
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.data.every((r: { actorId: string }) => r.actorId === owner.user.id)).toBe(true);
    expect(first.body.data[0].createdAt >= first.body.data[1].createdAt).toBe(true);
    const next = await api("GET", `/api/v1/audit-logs?${q}&cursor=${first.body.nextCursor}`, {
      token: owner.accessToken,
    });
    const ids = new Set(first.body.data.map((r: { id: string }) => r.id));
    expect(next.body.data.length).toBeGreaterThan(0);
    expect(next.body.data.some((r: { id: string }) => ids.has(r.id))).toBe(false);
    const future = await api(
      "GET",
      `/api/v1/audit-logs?from=${encodeURIComponent(new Date(Date.now() + 3600e3).toISOString())}`,
      {
        token: owner.accessToken,
      },
    );
    expect(future.body.data).toEqual([]);
  });

  it("records sign-ins and failed sign-ins", async () => {
    const owner = await ownerLogin();
    await api("POST", "/api/v1/auth/login", {
      body: { email: "ghost@edgepost.test", password: "nope nope" },
    });
    const res = await api("GET", "/api/v1/audit-logs?entity=session&limit=500", { token: owner.accessToken });
    const actions = res.body.data.map((r: { action: string }) => r.action);
    expect(actions).toContain("auth.login");
    expect(actions).toContain("auth.login_failed");
  });

  it("names the actor and the entity of each row, a deleted one by the name it had", async () => {
    const owner = await ownerLogin();
    const name = `Audited list ${Math.random().toString(36).slice(2, 8)}`;
    const list = await api("POST", "/api/v1/lists", {
      token: owner.accessToken,
      body: { name, optIn: "single" },
    });
    const renamed = `${name} renamed`;
    await api("PATCH", `/api/v1/lists/${list.body.id}`, {
      token: owner.accessToken,
      body: { name: renamed },
    });
    const gone = await api("POST", "/api/v1/lists", {
      token: owner.accessToken,
      body: { name: `${name} gone`, optIn: "single" },
    });
    await api("DELETE", `/api/v1/lists/${gone.body.id}`, { token: owner.accessToken });
    const res = await api("GET", "/api/v1/audit-logs?entity=list&limit=100", { token: owner.accessToken });
    expect(res.status).toBe(200);
    type Row = { entityId: string; action: string; entityName: string | null; actorName: string | null };
    const rows = (res.body.data as Row[]).filter(
      (r) => r.entityId === list.body.id || r.entityId === gone.body.id,
    );
    // Every row of the live list carries its current name; the deleted one keeps its own.
    expect(rows.filter((r) => r.entityId === list.body.id).map((r) => r.entityName)).toEqual([
      renamed,
      renamed,
    ]);
    expect(rows.filter((r) => r.entityId === gone.body.id).map((r) => r.entityName)).toEqual([
      `${name} gone`,
      `${name} gone`,
    ]);
    // The actor by name (the shared stack's owner), not by id or address.
    expect(new Set(rows.map((r) => r.actorName))).toEqual(new Set(["Olive Owner"]));
  });
});

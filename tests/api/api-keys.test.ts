import { describe, expect, it } from "vitest";
import { api, ownerLogin, uniqueEmail, userWithRole } from "../support/api";

describe("API keys", () => {
  it("shows the key once, stores only its hash, and lists it without the secret", async () => {
    const owner = await ownerLogin();
    const created = await api("POST", "/api/v1/api-keys", {
      token: owner.accessToken,
      body: { name: "CI", role: "editor" },
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^ep_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    const list = await api("GET", "/api/v1/api-keys?limit=500", { token: owner.accessToken });
    const listed = list.body.data.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ name: "CI", role: "editor", revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key.slice(40));
    expect(listed).not.toHaveProperty("key");
    expect(listed).not.toHaveProperty("secretHash");
  });

  it("authenticates as its role, and stops working once revoked", async () => {
    const owner = await ownerLogin();
    const { body } = await api("POST", "/api/v1/api-keys", {
      token: owner.accessToken,
      body: { name: "r", role: "analyst" },
    });
    const me = await api("GET", "/api/v1/me", { token: body.key });
    expect(me.body).toEqual({ user: null, apiKey: { id: body.id, name: "r" }, role: "analyst" });
    expect((await api("GET", "/api/v1/users", { token: body.key })).status).toBe(403);
    expect((await api("DELETE", `/api/v1/api-keys/${body.id}`, { token: owner.accessToken })).status).toBe(
      204,
    );
    expect((await api("GET", "/api/v1/me", { token: body.key })).status).toBe(401);
    expect((await api("DELETE", `/api/v1/api-keys/${body.id}`, { token: owner.accessToken })).status).toBe(
      404,
    );
  });

  it("refuses a key whose secret part was altered", async () => {
    const owner = await ownerLogin();
    const { body } = await api("POST", "/api/v1/api-keys", {
      token: owner.accessToken,
      body: { name: "t", role: "admin" },
    });
    const last = body.key.at(-1);
    const altered = `${body.key.slice(0, -1)}${last === "A" ? "B" : "A"}`;
    expect((await api("GET", "/api/v1/me", { token: altered })).status).toBe(401);
  });
});

describe("API keys and their creator's rights", () => {
  const createKey = async (token: string, role: string, name = `k-${role}`) => {
    const res = await api("POST", "/api/v1/api-keys", { token, body: { name, role } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; key: string };
  };
  const newUserBody = (role: string) => ({
    email: uniqueEmail("by-key"),
    name: "Made by a key",
    role,
    password: "a long enough password",
  });

  it("acts with at most its creator's current role: a demoted admin's key is an editor's", async () => {
    const owner = await ownerLogin();
    const admin = await userWithRole("admin");
    const key = await createKey(admin.accessToken, "admin");
    expect((await api("GET", "/api/v1/me", { token: key.key })).body.role).toBe("admin");
    const demote = await api("PATCH", `/api/v1/users/${admin.user.id}`, {
      token: owner.accessToken,
      body: { role: "editor" },
    });
    expect(demote.status).toBe(200);
    expect((await api("GET", "/api/v1/me", { token: key.key })).body.role).toBe("editor");
    const made = await api("POST", "/api/v1/users", { token: key.key, body: newUserBody("admin") });
    expect(made.status).toBe(403);
    expect((await api("GET", "/api/v1/lists", { token: key.key })).status).toBe(200);
    // Restoring the creator's role restores the key's.
    await api("PATCH", `/api/v1/users/${admin.user.id}`, {
      token: owner.accessToken,
      body: { role: "admin" },
    });
    expect((await api("GET", "/api/v1/me", { token: key.key })).body.role).toBe("admin");
  });

  it("is revoked, with an audit row, when its creator is deleted: a removed admin's key creates no admins", async () => {
    const owner = await ownerLogin();
    const admin = await userWithRole("admin");
    const key = await createKey(admin.accessToken, "admin");
    const deleted = await api("DELETE", `/api/v1/users/${admin.user.id}`, { token: owner.accessToken });
    expect(deleted.status).toBe(204);
    expect((await api("GET", "/api/v1/me", { token: key.key })).status).toBe(401);
    const made = await api("POST", "/api/v1/users", { token: key.key, body: newUserBody("admin") });
    expect(made.status).toBe(401);
    const list = await api("GET", "/api/v1/api-keys?limit=500", { token: owner.accessToken });
    const listed = list.body.data.find((k: { id: string }) => k.id === key.id);
    expect(listed.revokedAt).not.toBeNull();
    const audit = await api("GET", "/api/v1/audit-logs?entity=api_key&limit=500", {
      token: owner.accessToken,
    });
    const revoked = audit.body.data.find(
      (row: { action: string; entityId: string }) =>
        row.action === "api_key.revoke" && row.entityId === key.id,
    );
    expect(revoked).toBeDefined();
    expect(revoked.actorId).toBe(owner.user.id);
  });

  it("lists whose each key is and the role it acts with", async () => {
    const owner = await ownerLogin();
    const admin = await userWithRole("admin");
    const key = await createKey(admin.accessToken, "admin");
    await api("PATCH", `/api/v1/users/${admin.user.id}`, {
      token: owner.accessToken,
      body: { role: "analyst" },
    });
    const list = await api("GET", "/api/v1/api-keys?limit=500", { token: owner.accessToken });
    const listed = list.body.data.find((k: { id: string }) => k.id === key.id);
    expect(listed).toMatchObject({
      role: "admin",
      effectiveRole: "analyst",
      createdById: admin.user.id,
      createdBy: { id: admin.user.id, name: "admin user", email: admin.email },
    });
  });

  it("makes a key created by a key answer to the same person", async () => {
    const owner = await ownerLogin();
    const admin = await userWithRole("admin");
    const parent = await createKey(admin.accessToken, "admin");
    const child = await createKey(parent.key, "editor", "child");
    const list = await api("GET", "/api/v1/api-keys?limit=500", { token: owner.accessToken });
    const listed = list.body.data.find((k: { id: string }) => k.id === child.id);
    expect(listed.createdBy).toMatchObject({ id: admin.user.id, email: admin.email });
    await api("PATCH", `/api/v1/users/${admin.user.id}`, {
      token: owner.accessToken,
      body: { role: "analyst" },
    });
    expect((await api("GET", "/api/v1/me", { token: child.key })).body.role).toBe("analyst");
    await api("DELETE", `/api/v1/users/${admin.user.id}`, { token: owner.accessToken });
    expect((await api("GET", "/api/v1/me", { token: child.key })).status).toBe(401);
  });
});

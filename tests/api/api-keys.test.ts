import { describe, expect, it } from "vitest";
import { api, ownerLogin } from "../support/api";

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

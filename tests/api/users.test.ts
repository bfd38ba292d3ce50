import { describe, expect, it } from "vitest";
import { api, login, ownerLogin, uniqueEmail, userWithRole } from "../support/api";

describe("users", () => {
  it("creates, reads, updates and deletes a user, never exposing the password hash", async () => {
    const owner = await ownerLogin();
    const email = uniqueEmail("crud");
    const created = await api("POST", "/api/v1/users", {
      token: owner.accessToken,
      body: { email, name: "Crud", role: "editor", password: "twelve chars!!" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, name: "Crud", role: "editor" });
    expect(created.body).not.toHaveProperty("passwordHash");
    const id = created.body.id;
    expect((await api("GET", `/api/v1/users/${id}`, { token: owner.accessToken })).body.email).toBe(email);
    const patched = await api("PATCH", `/api/v1/users/${id}`, {
      token: owner.accessToken,
      body: { role: "analyst" },
    });
    expect(patched.body.role).toBe("analyst");
    expect((await api("DELETE", `/api/v1/users/${id}`, { token: owner.accessToken })).status).toBe(204);
    expect((await api("GET", `/api/v1/users/${id}`, { token: owner.accessToken })).status).toBe(404);
  });

  it("lets every user choose their own language, and only their own", async () => {
    const analyst = await userWithRole("analyst");
    const other = await userWithRole("editor");
    const me = await api("GET", "/api/v1/me", { token: analyst.accessToken });
    expect(me.body.user.locale).toBeNull();
    const id = me.body.user.id;
    const chosen = await api("PATCH", `/api/v1/users/${id}`, {
      token: analyst.accessToken,
      body: { locale: "ja" },
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.locale).toBe("ja");
    expect((await api("GET", "/api/v1/me", { token: analyst.accessToken })).body.user.locale).toBe("ja");
    // Anything else about themselves, or anyone else's language, still takes an admin.
    const rename = await api("PATCH", `/api/v1/users/${id}`, {
      token: analyst.accessToken,
      body: { locale: "de", name: "Renamed" },
    });
    expect(rename.status).toBe(403);
    const otherId = (await api("GET", "/api/v1/me", { token: other.accessToken })).body.user.id;
    const theirs = await api("PATCH", `/api/v1/users/${otherId}`, {
      token: analyst.accessToken,
      body: { locale: "de" },
    });
    expect(theirs.status).toBe(403);
    const bad = await api("PATCH", `/api/v1/users/${id}`, {
      token: analyst.accessToken,
      body: { locale: "klingon" },
    });
    expect(bad.status).toBe(400);
    // null goes back to the browser's language.
    const cleared = await api("PATCH", `/api/v1/users/${id}`, {
      token: analyst.accessToken,
      body: { locale: null },
    });
    expect(cleared.body.locale).toBeNull();
    const audit = await api("GET", `/api/v1/audit-logs?entity=user`, {
      token: (await ownerLogin()).accessToken,
    });
    expect(JSON.stringify(audit.body.data)).toContain('"locale":"ja"');
  });

  it("rejects a duplicate email case-insensitively with 409", async () => {
    const owner = await ownerLogin();
    const email = uniqueEmail("dup");
    const body = { email, name: "Dup", role: "analyst", password: "twelve chars!!" };
    expect((await api("POST", "/api/v1/users", { token: owner.accessToken, body })).status).toBe(201);
    const again = await api("POST", "/api/v1/users", {
      token: owner.accessToken,
      body: { ...body, email: email.toUpperCase() },
    });
    expect(again.status).toBe(409);
  });

  it("reports validation problems per field", async () => {
    const owner = await ownerLogin();
    const res = await api("POST", "/api/v1/users", {
      token: owner.accessToken,
      body: { email: "not-an-email", name: "", role: "root", password: "short" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    const fields = res.body.error.details.map((d: { path: string[] }) => d.path[0]).sort();
    expect(fields).toEqual(["email", "name", "password", "role"]);
  });

  it("paginates with a cursor and reports the total", async () => {
    const owner = await ownerLogin();
    await userWithRole("analyst");
    await userWithRole("analyst");
    const first = await api("GET", "/api/v1/users?limit=2", { token: owner.accessToken });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.total).toBeGreaterThanOrEqual(3);
    const second = await api("GET", `/api/v1/users?limit=2&cursor=${first.body.nextCursor}`, {
      token: owner.accessToken,
    });
    expect(second.body.data[0].id > first.body.data[1].id).toBe(true);
    expect((await api("GET", "/api/v1/users?limit=501", { token: owner.accessToken })).status).toBe(400);
    expect((await api("GET", "/api/v1/users?cursor=%%%", { token: owner.accessToken })).status).toBe(400);
  });

  it("keeps admins from granting or touching the owner role", async () => {
    const admin = await userWithRole("admin");
    const asOwner = await api("POST", "/api/v1/users", {
      token: admin.accessToken,
      body: { email: uniqueEmail("esc"), name: "Esc", role: "owner", password: "twelve chars!!" },
    });
    expect(asOwner.status).toBe(403);
    const owner = await ownerLogin();
    expect((await api("DELETE", `/api/v1/users/${owner.user.id}`, { token: admin.accessToken })).status).toBe(
      403,
    );
    const key = await api("POST", "/api/v1/api-keys", {
      token: admin.accessToken,
      body: { name: "x", role: "owner" },
    });
    expect(key.status).toBe(403);
  });

  it("refuses to delete yourself, change your own role, or remove the last owner", async () => {
    const owner = await ownerLogin();
    const self = await api("DELETE", `/api/v1/users/${owner.user.id}`, { token: owner.accessToken });
    expect(self.status).toBe(422);
    const demote = await api("PATCH", `/api/v1/users/${owner.user.id}`, {
      token: owner.accessToken,
      body: { role: "admin" },
    });
    expect(demote.status).toBe(422);
  });

  it("ends every session of a user whose password changes", async () => {
    const owner = await ownerLogin();
    const user = await userWithRole("editor");
    const res = await api("PATCH", `/api/v1/users/${user.user.id}`, {
      token: owner.accessToken,
      body: { password: "a brand new password" },
    });
    expect(res.status).toBe(200);
    expect((await api("GET", "/api/v1/me", { token: user.accessToken })).status).toBe(401);
    expect(
      (await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: user.refreshToken } })).status,
    ).toBe(401);
    await expect(login(user.email, user.password)).rejects.toThrow(/401/);
    await login(user.email, "a brand new password");
  });

  it("applies a role change at once, without waiting for the token to expire", async () => {
    const owner = await ownerLogin();
    const user = await userWithRole("admin");
    expect((await api("GET", "/api/v1/users", { token: user.accessToken })).status).toBe(200);
    await api("PATCH", `/api/v1/users/${user.user.id}`, {
      token: owner.accessToken,
      body: { role: "analyst" },
    });
    expect((await api("GET", "/api/v1/users", { token: user.accessToken })).status).toBe(403);
  });
});

import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs } from "../../schema/audit";
import { openDb } from "../../workers/lib/db";
import { api, login, stack, uniqueEmail, userWithRole } from "../support/api";
import { OWNER } from "../support/global-setup";
import { mailDetail, mailTo, waitForMail } from "../support/mailbox";

describe("first-run setup", () => {
  it("reports that setup is done and refuses a second owner with 409", async () => {
    expect((await api("GET", "/api/v1/auth/setup")).body).toEqual({ needsSetup: false });
    const res = await api("POST", "/api/v1/auth/setup", {
      body: { email: uniqueEmail("second"), password: "another long password", name: "Second" },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflict");
  });
});

describe("login", () => {
  it("returns an access token, a refresh token, the expiry and the user without its hash", async () => {
    const res = await api("POST", "/api/v1/auth/login", {
      body: { email: OWNER.email.toUpperCase(), password: OWNER.password },
    });
    expect(res.status).toBe(200);
    expect(res.body.expiresIn).toBe(900);
    expect(res.body.accessToken.split(".")).toHaveLength(3);
    expect(res.body.refreshToken).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(res.body.user).toMatchObject({ email: OWNER.email, role: "owner" });
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|pbkdf2/);
  });

  it("answers 401 the same way for a wrong password and an unknown email", async () => {
    const wrong = await api("POST", "/api/v1/auth/login", {
      body: { email: OWNER.email, password: "wrong password!" },
      headers: { "cf-connecting-ip": "198.51.100.1" },
    });
    const unknown = await api("POST", "/api/v1/auth/login", {
      body: { email: uniqueEmail("nobody"), password: "wrong password!" },
      headers: { "cf-connecting-ip": "198.51.100.1" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it("throttles after 5 failures for an email from one IP: 429 with Retry-After for 15 minutes", async () => {
    const user = await userWithRole("editor");
    const ip = "203.0.113.7";
    const attempt = (password: string, from = ip) =>
      api("POST", "/api/v1/auth/login", {
        body: { email: user.email, password },
        headers: { "cf-connecting-ip": from },
      });
    for (let i = 0; i < 5; i++) expect((await attempt("not the password")).status).toBe(401);
    const locked = await attempt(user.password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("rate_limited");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // The lockout is per (email, ip): the same person from another address can still sign in.
    expect((await attempt(user.password, "203.0.113.8")).status).toBe(200);
  });

  it("resets the failure count after a successful sign-in", async () => {
    const user = await userWithRole("analyst");
    const ip = "203.0.113.9";
    const attempt = (password: string) =>
      api("POST", "/api/v1/auth/login", {
        body: { email: user.email, password },
        headers: { "cf-connecting-ip": ip },
      });
    for (let i = 0; i < 4; i++) expect((await attempt("nope nope nope")).status).toBe(401);
    expect((await attempt(user.password)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt("nope nope nope")).status).toBe(401);
    expect((await attempt(user.password)).status).toBe(200);
  });
});

describe("login limits", () => {
  const attempt = (email: string, password: string, ip: string) =>
    api("POST", "/api/v1/auth/login", { body: { email, password }, headers: { "cf-connecting-ip": ip } });
  const statuses = (responses: { status: number }[]) => {
    const out: Record<number, number> = {};
    for (const r of responses) out[r.status] = (out[r.status] ?? 0) + 1;
    return out;
  };
  const burst = (email: string, ip: string) =>
    Promise.all(Array.from({ length: 20 }, () => attempt(email, "a wrong password", ip)));

  it("checks at most 5 of 20 parallel wrong passwords, then limits the account from every new address", async () => {
    const user = await userWithRole("editor");
    const home = "198.51.100.77";
    expect((await attempt(user.email, user.password, home)).status).toBe(200);

    expect(statuses(await burst(user.email, "203.0.113.20"))).toEqual({ 401: 5, 429: 15 });
    const conn = openDb(stack().databaseUrl);
    try {
      const failed = await conn.db
        .select({ n: count() })
        .from(auditLogs)
        .where(and(eq(auditLogs.action, "auth.login_failed"), eq(auditLogs.actorLabel, user.email)));
      expect(failed[0]?.n).toBe(5);
    } finally {
      await conn.close();
    }

    // A fresh address meets the account limit, even with the right password.
    const elsewhere = await attempt(user.email, user.password, "203.0.113.21");
    expect(elsewhere.status).toBe(429);
    expect(elsewhere.body.error.code).toBe("rate_limited");
    const retryAfter = Number(elsewhere.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // The owner, from where they signed in before, is never shut out.
    expect((await attempt(user.email, user.password, home)).status).toBe(200);

    const [notice] = await waitForMail(user.email);
    expect(notice?.subject).toBe("Failed sign-ins to your Edgepost account");
    const detail = await mailDetail(notice?.id ?? "");
    expect(detail.text).toContain("203.0.113.2");
    expect(detail.text).toContain("nothing is locked for good");
    // One notice per window, however many attempts follow.
    await burst(user.email, "203.0.113.22");
    await new Promise((r) => setTimeout(r, 1500));
    expect(await mailTo(user.email)).toHaveLength(1);
  });

  it("answers an unknown email exactly as a known one", async () => {
    const user = await userWithRole("analyst");
    const nobody = uniqueEmail("nobody");
    const known = await burst(user.email, "203.0.113.30");
    const unknown = await burst(nobody, "203.0.113.30");
    expect(statuses(unknown)).toEqual(statuses(known));
    const shape = (r: { status: number; body: { error: { code: string; message: string } } }) =>
      `${r.status} ${r.body.error.code} ${r.body.error.message}`;
    expect(new Set(unknown.map(shape))).toEqual(new Set(known.map(shape)));
    const [a, b] = [
      await attempt(user.email, "x", "203.0.113.31"),
      await attempt(nobody, "x", "203.0.113.31"),
    ];
    expect([a.status, b.status]).toEqual([429, 429]);
    expect(await mailTo(nobody)).toHaveLength(0);
  });
});

describe("refresh tokens", () => {
  it("rotates: the new pair works and the old refresh token stops working", async () => {
    const user = await userWithRole("editor");
    const first = await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: user.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect((await api("GET", "/api/v1/me", { token: first.body.accessToken })).status).toBe(200);
    const second = await api("POST", "/api/v1/auth/refresh", {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(second.status).toBe(200);
  });

  it("revokes the whole family when a spent refresh token is presented again", async () => {
    const user = await userWithRole("editor");
    const next = await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: user.refreshToken } });
    expect(next.status).toBe(200);
    const reuse = await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: user.refreshToken } });
    expect(reuse.status).toBe(401);
    // The legitimate holder's newer token and its access token are dead too.
    expect(
      (await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: next.body.refreshToken } })).status,
    ).toBe(401);
    expect((await api("GET", "/api/v1/me", { token: next.body.accessToken })).status).toBe(401);
    // Other sessions of the same user are untouched.
    const other = await login(user.email, user.password);
    expect((await api("GET", "/api/v1/me", { token: other.accessToken })).status).toBe(200);
  });

  it("refuses malformed (400), unknown and tampered (401) refresh tokens", async () => {
    const user = await userWithRole("analyst");
    const [id, secret] = user.refreshToken.split(".");
    const tampered = `${id}.${secret!.slice(0, -1)}${secret!.endsWith("A") ? "B" : "A"}`;
    expect((await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: "garbage" } })).status).toBe(
      400,
    );
    for (const refreshToken of [`${crypto.randomUUID()}.${secret}`, tampered]) {
      expect((await api("POST", "/api/v1/auth/refresh", { body: { refreshToken } })).status).toBe(401);
    }
    // The tampered attempt did not spend the real token.
    expect(
      (await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: user.refreshToken } })).status,
    ).toBe(200);
  });
});

describe("logout and me", () => {
  it("me describes the caller; logout ends the session and its access token", async () => {
    const user = await userWithRole("analyst");
    const me = await api("GET", "/api/v1/me", { token: user.accessToken });
    expect(me.body).toMatchObject({ role: "analyst", apiKey: null, user: { email: user.email } });
    const out = await api("POST", "/api/v1/auth/logout", { body: { refreshToken: user.refreshToken } });
    expect(out.status).toBe(200);
    expect(
      (await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: user.refreshToken } })).status,
    ).toBe(401);
    expect((await api("GET", "/api/v1/me", { token: user.accessToken })).status).toBe(401);
  });
});

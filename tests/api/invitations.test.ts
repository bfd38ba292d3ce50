import { describe, expect, it } from "vitest";
import { api, login, ownerLogin, uniqueEmail } from "../support/api";
import { mailDetail, mailTo, waitForMail } from "../support/mailbox";

/** The token of the newest set-password link mailed to `email`, and that mail's text. */
async function linkIn(email: string, count = 1) {
  const [newest] = await waitForMail(email, count);
  if (!newest) throw new Error(`no mail to ${email}`);
  const mail = await mailDetail(newest.id);
  const m = /\/set-password#token=([^\s"<]+)/.exec(mail.text);
  if (!m?.[1]) throw new Error(`no link in: ${mail.text}`);
  return { token: decodeURIComponent(m[1]), mail };
}

const confirm = (token: string, password: string) =>
  api("POST", "/api/v1/auth/password-reset/confirm", { body: { token, password } });

async function invite(role = "editor") {
  const { accessToken: token } = await ownerLogin();
  const email = uniqueEmail("invite");
  const res = await api("POST", "/api/v1/users", { token, body: { email, name: "Invitee", role } });
  return { res, email, token };
}

describe("invitations", () => {
  it("invite without a password -> mail with a single-use link -> set password -> sign in", async () => {
    const { res, email, token } = await invite();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, pending: true, invitation: { sent: true } });
    expect(res.body).not.toHaveProperty("password");
    await expect(login(email, "")).rejects.toThrow();

    const { token: link, mail } = await linkIn(email);
    expect(mail.subject).toBe("You are invited to Edgepost");
    expect(mail.text).toContain("as an editor");
    expect((await confirm(link, "short")).status).toBe(400);
    const set = await confirm(link, "my own long password");
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ ok: true, email });
    const session = await login(email, "my own long password");
    expect(session.user.id).toBe(res.body.id);

    // Single use: the same link again is refused and changes nothing.
    const again = await confirm(link, "another long password");
    expect(again.status).toBe(422);
    expect(again.body.error.message).toMatch(/expired or was already used/);
    await login(email, "my own long password");

    const listed = await api("GET", `/api/v1/users/${res.body.id}`, { token });
    expect(listed.body.pending).toBe(false);
    const audit = await api("GET", "/api/v1/audit-logs?entity=user&limit=500", { token });
    const actions = (audit.body.data as { action: string; entityId: string }[])
      .filter((a) => a.entityId === res.body.id)
      .map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["user.invite", "user.invitation_accepted"]));
  });

  it("keeps {email, name, role, password} creating a user who signs in at once", async () => {
    const { accessToken: token } = await ownerLogin();
    const email = uniqueEmail("direct");
    const res = await api("POST", "/api/v1/users", {
      token,
      body: { email, name: "Direct", role: "analyst", password: "a long enough password" },
    });
    expect(res.status).toBe(201);
    expect(res.body.pending).toBe(false);
    expect(res.body).not.toHaveProperty("invitation");
    await login(email, "a long enough password");
    expect(await mailTo(email)).toHaveLength(0);
  });

  it("refuses forged, malformed and tampered tokens", async () => {
    const { email } = await invite("analyst");
    const { token } = await linkIn(email);
    const [id, secret] = token.split(".") as [string, string];
    const flipped = `${id}.${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    expect((await confirm(flipped, "a long enough password")).status).toBe(422);
    expect((await confirm("not-a-token", "a long enough password")).status).toBe(400);
    expect((await confirm(token, "a long enough password")).status).toBe(200);
  });
});

describe("password reset", () => {
  it("mails a link, sets the new password, revokes old sessions and the old password", async () => {
    const { accessToken: owner } = await ownerLogin();
    const email = uniqueEmail("reset");
    await api("POST", "/api/v1/users", {
      token: owner,
      body: { email, name: "Resetter", role: "analyst", password: "the old long password" },
    });
    const before = await login(email, "the old long password");

    const asked = await api("POST", "/api/v1/auth/password-reset", { body: { email: email.toUpperCase() } });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ accepted: true });
    const { token, mail } = await linkIn(email);
    expect(mail.subject).toBe("Reset your Edgepost password");

    expect((await confirm(token, "the new long password")).status).toBe(200);
    await login(email, "the new long password");
    await expect(login(email, "the old long password")).rejects.toThrow(/401/);
    const refresh = await api("POST", "/api/v1/auth/refresh", {
      body: { refreshToken: before.refreshToken },
    });
    expect(refresh.status).toBe(401);
  });

  it("answers the same for unknown addresses and mails nothing", async () => {
    const email = uniqueEmail("nobody");
    const res = await api("POST", "/api/v1/auth/password-reset", { body: { email } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: true });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await mailTo(email)).toHaveLength(0);
  });

  it("spends older links when one is used, and mails at most 3 an hour per address", async () => {
    const { accessToken: owner } = await ownerLogin();
    const email = uniqueEmail("many");
    await api("POST", "/api/v1/users", {
      token: owner,
      body: { email, name: "Many", role: "analyst", password: "a long enough password" },
    });
    const ip = { "cf-connecting-ip": "203.0.113.77" };
    for (let i = 0; i < 5; i++) {
      const res = await api("POST", "/api/v1/auth/password-reset", { body: { email }, headers: ip });
      expect(res.status).toBe(202);
    }
    await waitForMail(email, 3);
    await new Promise((r) => setTimeout(r, 1500));
    const mails = await mailTo(email);
    expect(mails).toHaveLength(3);
    const tokens = await Promise.all(
      mails.map(async (m) => /#token=([^\s"<]+)/.exec((await mailDetail(m.id)).text)?.[1] ?? ""),
    );
    expect((await confirm(decodeURIComponent(tokens[0] ?? ""), "first new long password")).status).toBe(200);
    expect((await confirm(decodeURIComponent(tokens[1] ?? ""), "second new long password")).status).toBe(422);
  });

  it("limits requests per client address with a 429", async () => {
    const ip = { "cf-connecting-ip": "203.0.113.99" };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await api("POST", "/api/v1/auth/password-reset", {
        body: { email: uniqueEmail("flood") },
        headers: ip,
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

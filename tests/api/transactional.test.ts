import { eq } from "drizzle-orm";
import PostalMime from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sends } from "../../schema/sends";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { api, ownerLogin, stack } from "../support/api";
import { verifyDkim } from "../support/dkim";
import { mailRaw, waitForMail } from "../support/mailbox";

const tag = Math.random().toString(36).slice(2, 7);
const domain = `tx-${tag}.example.net`;
let token: string;
let conn: DbConnection;
let templateId: string;
const records: Record<string, string> = {};

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  conn = openDb(stack().databaseUrl);
  const d = await api<{ records: { purpose: string; name: string; value: string }[] }>(
    "POST",
    "/api/v1/domains",
    {
      token,
      body: { domain, ed25519: true },
    },
  );
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  for (const r of d.body.records.filter((r) => r.purpose.startsWith("dkim"))) records[r.name] = r.value;
  const t = await api<{ id: string }>("POST", "/api/v1/templates", {
    token,
    body: {
      name: `Reset ${tag}`,
      kind: "transactional",
      subject: "Réinitialisez votre mot de passe, {{ data.name }}",
      html: '<p>Hi {{ data.name }}, <a href="{{ data.link }}">reset your password</a>.</p>',
    },
  });
  templateId = t.body.id;
});
afterAll(async () => conn.close());

describe("transactional", () => {
  it("sends one message now, DKIM-signed (RSA and Ed25519 both verified by mailauth), and records it", async () => {
    const to = `reset-${tag}@example.com`;
    const res = await api<{ id: string; status: string; messageId: string }>(
      "POST",
      "/api/v1/transactional",
      {
        token,
        body: {
          templateId,
          to,
          data: { name: "Zoë", link: "https://app.example.com/reset?t=abc" },
          fromEmail: `no-reply@${domain}`,
          fromName: "Acme",
        },
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe("sent");
    expect(res.body.messageId).toMatch(new RegExp(`@${domain.replace(/\./g, "\\.")}$`));
    const [mail] = await waitForMail(to);
    const raw = await mailRaw(mail?.id ?? "");
    const verdicts = await verifyDkim(raw, records);
    expect(verdicts.map((v) => `${v.algo}:${v.result}`).sort()).toEqual([
      "ed25519-sha256:pass",
      "rsa-sha256:pass",
    ]);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe("Réinitialisez votre mot de passe, Zoë");
    expect(parsed.headers.find((h) => h.key === "list-unsubscribe")).toBeUndefined();
    expect(parsed.html).toMatch(/\/c\/[A-Za-z0-9_-]+"/);
    const [row] = await conn.db
      .select()
      .from(sends)
      .where(eq(sends.id, Number(res.body.id)));
    expect(row).toMatchObject({ status: "sent", email: to, templateId, campaignId: null, attempts: 1 });
  });

  it("refuses a suppressed address with 422 and sends nothing", async () => {
    const to = `blocked-${tag}@example.com`;
    await api("POST", "/api/v1/suppressions", { token, body: { email: to, reason: "manual" } });
    const res = await api<{ error: { code: string; details: { code: string } } }>(
      "POST",
      "/api/v1/transactional",
      {
        token,
        body: {
          templateId,
          to,
          data: { name: "x", link: "https://x.example" },
          fromEmail: `no-reply@${domain}`,
        },
      },
    );
    expect(res.status).toBe(422);
    expect(res.body.error.details.code).toBe("suppressed");
  });

  it("answers 404 for an unknown template and 400 for a bad address", async () => {
    const unknown = await api("POST", "/api/v1/transactional", {
      token,
      body: {
        templateId: "00000000-0000-7000-8000-000000000000",
        to: `x-${tag}@example.com`,
        fromEmail: `a@${domain}`,
      },
    });
    expect(unknown.status).toBe(404);
    const bad = await api("POST", "/api/v1/transactional", {
      token,
      body: { templateId, to: "Name <a@b.c>" },
    });
    expect(bad.status).toBe(400);
  });

  it("uses the default sender from the settings", async () => {
    await api("PATCH", "/api/v1/settings", {
      token,
      body: { defaultFromEmail: `hello@${domain}`, defaultFromName: "Acme Support" },
    });
    const to = `default-${tag}@example.com`;
    const res = await api("POST", "/api/v1/transactional", {
      token,
      body: { templateId, to, data: { name: "D", link: "https://x.example" } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [mail] = await waitForMail(to);
    const parsed = await PostalMime.parse(await mailRaw(mail?.id ?? ""));
    expect(parsed.from).toMatchObject({ address: `hello@${domain}`, name: "Acme Support" });
    // The envelope sender is the send's own bounce address on the sending domain.
    expect(mail?.from).toMatch(
      new RegExp(`^bounces\\+[0-9a-z]+-[a-z2-7]{16}@${domain.replace(/\./g, "\\.")}$`),
    );
  });
});

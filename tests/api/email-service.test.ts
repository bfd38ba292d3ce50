import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sends } from "../../schema/sends";
import { suppressions } from "../../schema/suppressions";
import { emailHash } from "../../workers/domain/audience/email";
import { emailServiceNotices } from "../../workers/inbound/email-service-events";
import { recordNotices } from "../../workers/inbound/webhooks/record";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { type Stack, startStack } from "../support/stack";

// Cloudflare Email Service as a relay for transactional and system mail. The stack is its own:
// the suite points the settings' transactional and system relays at Cloudflare, which would take
// the shared stack's confirmations and invitations away from the dev mailbox other suites read.
// Locally wrangler simulates the EMAIL binding: nothing is sent, and what the Worker handed it is
// listed by the local explorer, which is what these tests read.

let stk: Stack;
let conn: DbConnection;
let token: string;
let cloudflareId: string;
let templateId: string;
const tag = Math.random().toString(36).slice(2, 7);
const OWNER = { email: "owner@es.edgepost.test", password: "correct horse battery staple", name: "Olive" };

interface Handed {
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  messageId: string;
  headers?: Record<string, string>;
}

async function call<T = any>(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stk.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** What the Worker handed the (simulated) EMAIL binding, newest first, from wrangler's local explorer. */
async function handed(): Promise<Handed[]> {
  const res = await fetch(`${stk.baseUrl}/cdn-cgi/local/explorer/api/local/email/sending?limit=100`);
  expect(res.status, await res.clone().text()).toBe(200);
  const json = (await res.json()) as { result: Handed[] };
  return json.result;
}

/** One handed message in full (the list leaves out the bodies). */
async function body(m: Handed | undefined): Promise<string> {
  const id = encodeURIComponent(m?.messageId ?? "");
  const res = await fetch(`${stk.baseUrl}/cdn-cgi/local/explorer/api/local/email/sending?email_id=${id}`);
  return JSON.stringify(await res.json());
}

async function handedTo(email: string): Promise<Handed[]> {
  for (let i = 0; i < 50; i++) {
    const found = (await handed()).filter((m) => m.to.some((t) => t.includes(email)));
    if (found.length > 0) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  return [];
}

async function mailboxTo(email: string): Promise<{ subject: string }[]> {
  const all = (await (await fetch(`${stk.mailboxUrl}/api/messages`)).json()) as {
    to: string[];
    subject: string;
  }[];
  return all.filter((m) => m.to.includes(email));
}

beforeAll(async () => {
  stk = await startStack();
  conn = openDb(stk.databaseUrl);
  const setup = await fetch(`${stk.baseUrl}/api/v1/auth/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(OWNER),
  });
  expect(setup.status).toBe(201);
  const login = await fetch(`${stk.baseUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: OWNER.email, password: OWNER.password }),
  });
  token = ((await login.json()) as { accessToken: string }).accessToken;
  const t = await call<{ id: string }>("POST", "/api/v1/templates", {
    name: `Receipt ${tag}`,
    kind: "transactional",
    subject: "Your receipt, {{ data.name }}",
    html: "<p>Thanks, {{ data.name }}. Order {{ data.order }}.</p>",
  });
  expect(t.status).toBe(201);
  templateId = t.body.id;
}, 180_000);

afterAll(async () => {
  await conn?.close();
  await stk?.stop();
});

describe("Cloudflare Email Service relays", () => {
  it("are created without host, port or credentials, and refused as the default relay", async () => {
    const created = await call("POST", "/api/v1/relays", {
      name: "Cloudflare",
      kind: "cloudflare",
      maxPerSecond: 5,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: "cloudflare", host: null, port: null, isDefault: false });
    cloudflareId = created.body.id;

    const asDefault = await call("POST", "/api/v1/relays", {
      name: "CF default",
      kind: "cloudflare",
      isDefault: true,
    });
    expect(asDefault.status).toBe(422);
    expect(asDefault.body.error.message).toMatch(/transactional and system mail only.*bulk mail/);
    const withHost = await call("POST", "/api/v1/relays", {
      name: "CF",
      kind: "cloudflare",
      host: "smtp.example.com",
    });
    expect(withHost.status).toBe(400);
    const smtpWithoutHost = await call("POST", "/api/v1/relays", { name: "SMTP" });
    expect(smtpWithoutHost.status).toBe(400);
    const patchDefault = await call("PATCH", `/api/v1/relays/${cloudflareId}`, { isDefault: true });
    expect(patchDefault.status).toBe(422);
    const test = await call("POST", `/api/v1/relays/${cloudflareId}/test`);
    expect(test.body).toMatchObject({ ok: true });
  });

  it("are refused for campaigns and as the default relay in the settings (422, saying why)", async () => {
    const settings = await call("PATCH", "/api/v1/settings", { defaultRelayId: cloudflareId });
    expect(settings.status).toBe(422);
    expect(settings.body.error.message).toMatch(/Cloudflare's terms exclude bulk mail/);
    const tpl = await call<{ id: string }>("POST", "/api/v1/templates", {
      name: `News ${tag}`,
      kind: "campaign",
      subject: "News",
      html: '<p>News</p><a href="{{ unsubscribe_url }}">Unsubscribe</a> {{ postal_address }}',
    });
    expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
    const campaign = await call("POST", "/api/v1/campaigns", {
      name: "Bulk via Cloudflare",
      templateId: tpl.body.id,
      fromName: "Acme",
      fromEmail: "news@acme.example",
      relayId: cloudflareId,
    });
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(422);
    expect(campaign.body.error.details).toMatchObject({ code: "relay_transactional_only" });
  });

  it("carry a transactional send named to them: the binding gets it, the SMTP mailbox does not", async () => {
    const to = `buyer-${tag}@example.com`;
    const res = await call("POST", "/api/v1/transactional", {
      templateId,
      to,
      data: { name: "Zoë", order: "A-17" },
      fromEmail: "receipts@acme.example",
      fromName: "Acme",
      relayId: cloudflareId,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe("sent");
    const [msg] = await handedTo(to);
    expect(msg).toMatchObject({
      from: '"Acme" <receipts@acme.example>',
      to: [to],
      subject: "Your receipt, Zoë",
    });
    expect(await body(msg)).toContain("Order A-17");
    expect(msg?.headers?.["X-Edgepost-Send"]).toBe(String(res.body.id));
    // The ledger keeps Cloudflare's message id: its delivery and bounce events name it.
    expect(res.body.messageId).toBe(msg?.messageId.replace(/^<|>$/g, ""));
    expect(await mailboxTo(to)).toEqual([]);
  });

  it("carry transactional sends that name no relay, and system mail, when the settings say so", async () => {
    const s = await call("PATCH", "/api/v1/settings", {
      transactionalRelayId: cloudflareId,
      systemRelayId: cloudflareId,
    });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    const to = `second-${tag}@example.com`;
    const res = await call("POST", "/api/v1/transactional", {
      templateId,
      to,
      data: { name: "Ana", order: "B-2" },
      fromEmail: "receipts@acme.example",
    });
    expect(res.body.status).toBe("sent");
    expect(await handedTo(to)).toHaveLength(1);

    const invitee = `invitee-${tag}@example.com`;
    const invited = await call("POST", "/api/v1/users", { email: invitee, name: "Ivy", role: "editor" });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    expect(invited.body.invitation).toEqual({ sent: true });
    const [mail] = await handedTo(invitee);
    expect(mail?.subject).toBe("You are invited to Edgepost");
    expect(await body(mail)).toContain("/set-password#token=");
    expect(await mailboxTo(invitee)).toEqual([]);

    // Back to SMTP: the dev mailbox gets system mail again.
    const back = await call("PATCH", "/api/v1/settings", { systemRelayId: null });
    expect(back.body.systemRelayId).toBeNull();
    const other = `invitee2-${tag}@example.com`;
    const again = await call("POST", "/api/v1/users", { email: other, name: "Ike", role: "analyst" });
    expect(again.body.invitation, JSON.stringify(again.body)).toEqual({ sent: true });
    await expect.poll(async () => (await mailboxTo(other)).length).toBe(1);
  });

  it("feed Cloudflare's bounce and complaint events through the same classifier and suppression rules", async () => {
    const [row] = await conn.db
      .select()
      .from(sends)
      .where(eq(sends.email, `buyer-${tag}@example.com`));
    expect(row?.messageId).toBeTruthy();
    const event = (type: string, payload: Record<string, unknown>) => ({
      type: `cf.email.sending.message.${type}`,
      source: { type: "email.sending", domain: "acme.example" },
      payload: { messageId: row?.messageId, recipient: row?.email, ...payload },
      metadata: { eventSchemaVersion: 1, eventTimestamp: new Date().toISOString() },
    });
    const batch = [
      event("delivered", { eventId: `d-${tag}`, delivery: { status: "delivered", smtpStatusCode: "250" } }),
      event("bounced", {
        eventId: `b-${tag}`,
        delivery: {
          status: "bounced",
          smtpStatusCode: "550",
          smtpEnhancedStatusCode: "5.1.1",
          smtpResponse: "550 5.1.1 User unknown",
        },
        bounce: { type: "hard", classification: "permanent_failure", reason: "550 5.1.1 User unknown" },
      }),
      // Someone else's address on our message id: ignored, it can only count against the send's own.
      {
        ...event("complained", { eventId: `c-${tag}`, complaint: { type: "abuse" } }),
        payload: {
          eventId: `c-${tag}`,
          messageId: row?.messageId,
          recipient: "victim@example.org",
          complaint: { type: "abuse" },
        },
      },
    ];
    const first = await recordNotices(conn.db, stk.secrets.TRACKING_SECRET ?? "", emailServiceNotices(batch));
    expect(first).toMatchObject({ bounces: 1, complaints: 0, ignored: 2, duplicates: 0 });
    const hash = await emailHash(row?.email ?? "");
    const [sup] = await conn.db.select().from(suppressions).where(eq(suppressions.emailHash, hash));
    expect(sup?.reason).toBe("bounce");
    // A redelivered batch changes nothing.
    const again = await recordNotices(conn.db, stk.secrets.TRACKING_SECRET ?? "", emailServiceNotices(batch));
    expect(again.duplicates).toBe(1);
    // And the address is now refused before anything reaches Cloudflare.
    const res = await call("POST", "/api/v1/transactional", {
      templateId,
      to: row?.email,
      data: { name: "Zoë", order: "A-18" },
      fromEmail: "receipts@acme.example",
    });
    expect(res.status).toBe(422);
  });
});

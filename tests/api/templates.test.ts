import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "../../schema/audit";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { api, ownerLogin, stack, userWithRole } from "../support/api";

const tag = Math.random().toString(36).slice(2, 7);
const HTML = `<html><body><h1>Hello {{ subscriber.name | default: "friend" }}</h1>
<p>Your plan: {{ subscriber.fields.tpl_plan_${tag} }}</p>
<p><a href="https://example.com/offer?a=1&amp;b=2">Offer</a></p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a> · {{ postal_address }}</p></body></html>`;

let token: string;
let conn: DbConnection;

interface Template {
  id: string;
  name: string;
  kind: string;
  currentVersion: number;
  subject: string;
  html: string;
  text: string | null;
}

const create = (body: Record<string, unknown>) => api<Template>("POST", "/api/v1/templates", { token, body });

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  conn = openDb(stack().databaseUrl);
  await api("POST", "/api/v1/fields", {
    token,
    body: { key: `tpl_plan_${tag}`, label: "Plan", type: "text" },
  });
});
afterAll(async () => conn.close());

describe("templates: content rules", () => {
  it("creates version 1 of a campaign template with an unsubscribe link", async () => {
    const res = await create({ name: `Welcome ${tag}`, subject: "Hi {{ subscriber.name }}", html: HTML });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      kind: "campaign",
      currentVersion: 1,
      subject: "Hi {{ subscriber.name }}",
      text: null,
    });
  });

  it("refuses Liquid syntax errors with the part, line and column of each", async () => {
    const res = await api<{
      error: { code: string; details: { path: string[]; line: number; column: number; message: string }[] };
    }>("POST", "/api/v1/templates", {
      token,
      body: {
        name: "broken",
        subject: "ok",
        html: `<p>line one</p>\n<p>{% if subscriber.name %}never closed</p>\n{{ unsubscribe_url }}`,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    const [first] = res.body.error.details;
    expect(first?.path).toEqual(["html"]);
    expect(first?.line).toBe(2);
    expect(first?.column).toBeGreaterThan(0);
    const subject = await api<{ error: { details: { path: string[] }[] } }>("POST", "/api/v1/templates", {
      token,
      body: { name: "broken subject", subject: "Hi {{ subscriber.name ", html: HTML },
    });
    expect(subject.status).toBe(400);
    expect(subject.body.error.details[0]?.path).toEqual(["subject"]);
  });

  it("refuses a campaign template without an unsubscribe link (422), allows it for transactional mail", async () => {
    const html = "<p>No way out</p>";
    const campaign = await create({ name: "no unsub", subject: "s", html });
    expect(campaign.status).toBe(422);
    const transactional = await create({
      name: `Receipt ${tag}`,
      subject: "Your receipt",
      html,
      kind: "transactional",
    });
    expect(transactional.status).toBe(201);
  });

  it("checks content without saving, for the editor", async () => {
    const res = await api<{ ok: boolean; problems: unknown[]; hasUnsubscribeLink: boolean }>(
      "POST",
      "/api/v1/templates/check",
      {
        token,
        body: { subject: "x", html: "<p>{{ oops </p>" },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.problems.length).toBeGreaterThan(0);
    expect(res.body.hasUnsubscribeLink).toBe(false);
  });
});

describe("templates: versions", () => {
  let id: string;
  beforeAll(async () => {
    id = (await create({ name: `Versioned ${tag}`, subject: "v1 subject", html: HTML })).body.id;
  });

  it("makes a new immutable version for content changes, none for a rename", async () => {
    const renamed = await api<Template>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { name: `Renamed ${tag}` },
    });
    expect(renamed.body).toMatchObject({ name: `Renamed ${tag}`, currentVersion: 1 });
    const edited = await api<Template>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { subject: "v2 subject" },
    });
    expect(edited.body).toMatchObject({ currentVersion: 2, subject: "v2 subject", html: HTML });
    const same = await api<Template>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { subject: "v2 subject" },
    });
    expect(same.body.currentVersion).toBe(2);
    const v1 = await api<{ version: number; subject: string }>("GET", `/api/v1/templates/${id}/versions/1`, {
      token,
    });
    expect(v1.body).toMatchObject({ version: 1, subject: "v1 subject" });
    const list = await api<{ data: { version: number }[]; total: number }>(
      "GET",
      `/api/v1/templates/${id}/versions`,
      { token },
    );
    expect(list.body.data.map((v) => v.version)).toEqual([2, 1]);
    expect(list.body.total).toBe(2);
  });

  it("restores an old version as a new one", async () => {
    const restored = await api<Template>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { restoreVersion: 1 },
    });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ currentVersion: 3, subject: "v1 subject" });
    const audit = await conn.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.entityId, id), eq(auditLogs.action, "template.restore")));
    expect(audit).toHaveLength(1);
  });

  it("refuses restoreVersion together with new content", async () => {
    const res = await api("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { restoreVersion: 1, subject: "x" },
    });
    expect(res.status).toBe(400);
  });
});

describe("templates: preview", () => {
  let id: string;
  beforeAll(async () => {
    id = (
      await create({
        name: `Preview ${tag}`,
        subject: "Hi {{ subscriber.name | default: 'friend' }}",
        html: HTML,
      })
    ).body.id;
    await api("PATCH", "/api/v1/settings", { token, body: { postalAddress: "1 Main St, Springfield" } });
  });

  it("renders with sample data, the postal address and a derived text part", async () => {
    const res = await api<{ subject: string; html: string; text: string }>(
      "POST",
      `/api/v1/templates/${id}/preview`,
      { token, body: {} },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.subject).toBe("Hi Sample Subscriber");
    expect(res.body.html).toContain("1 Main St, Springfield");
    expect(res.body.html).toContain("Sample text");
    expect(res.body.text).toContain("Hello Sample Subscriber");
    expect(res.body.text).toContain("https://example.com/offer?a=1&b=2");
    // Previews are never tracked.
    expect(res.body.html).not.toMatch(/\/(o|c)\//);
  });

  it("renders as a real subscriber, HTML-escaped, with their real unsubscribe link", async () => {
    const sub = await api<{ id: string }>("POST", "/api/v1/subscribers", {
      token,
      body: {
        email: `preview-${tag}@example.com`,
        name: "Zoë <b>Bold</b>",
        fields: { [`tpl_plan_${tag}`]: "Pro" },
      },
    });
    expect(sub.status).toBe(201);
    const res = await api<{ subject: string; html: string }>("POST", `/api/v1/templates/${id}/preview`, {
      token,
      body: { subscriberId: sub.body.id },
    });
    expect(res.body.subject).toBe("Hi Zoë <b>Bold</b>");
    expect(res.body.html).toContain("Zoë &lt;b&gt;Bold&lt;/b&gt;");
    expect(res.body.html).toContain("Your plan: Pro");
    const link = /href="([^"]*\/u\/[^"]+)"/.exec(res.body.html)?.[1];
    expect(link).toBeDefined();
    const page = await fetch(link ?? "");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`preview-${tag}@example.com`);
  });

  it("renders unsaved editor content", async () => {
    const res = await api<{ subject: string }>("POST", `/api/v1/templates/${id}/preview`, {
      token,
      body: { subject: "Draft {{ 1 | plus: 1 }}" },
    });
    expect(res.body.subject).toBe("Draft 2");
  });
});

describe("templates: deletion and roles", () => {
  it("deletes an unused template; analysts read but cannot write", async () => {
    const t = await create({ name: `Doomed ${tag}`, subject: "s", html: HTML });
    const analyst = await userWithRole("analyst");
    expect((await api("GET", `/api/v1/templates/${t.body.id}`, { token: analyst.accessToken })).status).toBe(
      200,
    );
    expect(
      (await api("DELETE", `/api/v1/templates/${t.body.id}`, { token: analyst.accessToken })).status,
    ).toBe(403);
    expect((await api("DELETE", `/api/v1/templates/${t.body.id}`, { token })).status).toBe(204);
    expect((await api("GET", `/api/v1/templates/${t.body.id}`, { token })).status).toBe(404);
    const list = await api<{ data: { id: string }[] }>(
      "GET",
      `/api/v1/templates?q=${encodeURIComponent(`Doomed ${tag}`)}`,
      { token },
    );
    expect(list.body.data).toHaveLength(0);
  });

  it("refuses to delete a template an unfinished campaign uses (409)", async () => {
    const t = await create({ name: `Used ${tag}`, subject: "s", html: HTML });
    const campaign = await api("POST", "/api/v1/campaigns", {
      token,
      body: { name: `uses ${tag}`, templateId: t.body.id, fromName: "Us", fromEmail: "news@example.com" },
    });
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    expect((await api("DELETE", `/api/v1/templates/${t.body.id}`, { token })).status).toBe(409);
  });
});

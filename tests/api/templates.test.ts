import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "../../schema/audit";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { api, ownerLogin, stack, userWithRole } from "../support/api";
import { mailDetail, mailRaw, waitForMail } from "../support/mailbox";

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

  it("renders as a real subscriber, HTML-escaped", async () => {
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

describe("templates: previews and tests carry no working subscriber links", () => {
  const LINKS = `<p><a href="{{ unsubscribe_url }}">Unsubscribe</a> · <a href="{{ preferences_url }}">Preferences</a>
 · <a href="{{ view_in_browser_url }}">View in browser</a> · <a href="https://example.com/news">News</a></p>`;
  let templateId: string;
  let subscriberId: string;
  let listId: string;

  beforeAll(async () => {
    const list = await api<{ id: string }>("POST", "/api/v1/lists", {
      token,
      body: { name: `Links ${tag}`, optIn: "single", visibility: "private" },
    });
    listId = list.body.id;
    const sub = await api<{ id: string }>("POST", "/api/v1/subscribers", {
      token,
      body: { email: `victim-${tag}@example.com`, name: "Victim", listIds: [listId] },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    subscriberId = sub.body.id;
    await expectStillSubscribed();
    const t = await create({ name: `Links ${tag}`, subject: "Links for {{ subscriber.name }}", html: LINKS });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    templateId = t.body.id;
  });

  /** Every http(s) URL in the given texts, HTML entities undone. */
  const urlsIn = (...texts: string[]) => [
    ...new Set(
      texts.flatMap((t) =>
        [...t.matchAll(/https?:\/\/[^\s"'<>()]+/g)].map((m) => m[0].replaceAll("&amp;", "&")),
      ),
    ),
  ];

  /** GETs and POSTs (one-click, the page's form, "unsubscribe from all") every URL of this deployment. */
  async function hitEvery(urls: string[]) {
    const ours = urls.filter((u) => u.startsWith(stack().baseUrl));
    expect(ours.length).toBeGreaterThanOrEqual(3);
    for (const url of ours) {
      const posts = ["List-Unsubscribe=One-Click", "action=unsubscribe_all", "l="];
      const answers = [await fetch(url, { redirect: "manual" })];
      for (const body of posts) {
        answers.push(
          await fetch(url, {
            method: "POST",
            redirect: "manual",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body,
          }),
        );
      }
      for (const res of answers) expect(res.status, url).toBeLessThan(500);
    }
  }

  const membership = async () => {
    const res = await api<{ status: string; lists: { listId: string; status: string }[] }>(
      "GET",
      `/api/v1/subscribers/${subscriberId}`,
      { token },
    );
    return { status: res.body.status, list: res.body.lists.find((l) => l.listId === listId)?.status };
  };

  async function expectStillSubscribed() {
    expect(await membership()).toEqual({ status: "active", list: "confirmed" });
  }

  it("gives an analyst previewing as a subscriber only inert placeholder links", async () => {
    const analyst = await userWithRole("analyst");
    const res = await api<{ html: string; text: string }>("POST", `/api/v1/templates/${templateId}/preview`, {
      token: analyst.accessToken,
      body: { subscriberId },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const urls = urlsIn(res.body.html, res.body.text);
    const base = stack().baseUrl;
    expect(urls).toEqual(
      expect.arrayContaining([`${base}/u/preview`, `${base}/preferences/preview`, `${base}/v/preview`]),
    );
    const page = await fetch(`${base}/u/preview`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("This is a preview link");
    await hitEvery(urls);
    await expectStillSubscribed();
  });

  it("sends template tests as a subscriber with placeholder links only", async () => {
    // Tests go from the default sender; other suites on this stack set one too: keep theirs.
    const settings = await api<{ defaultFromEmail: string | null }>("GET", "/api/v1/settings", { token });
    if (!settings.body.defaultFromEmail) {
      await api("PATCH", "/api/v1/settings", {
        token,
        body: { defaultFromEmail: "tests@links.example.com" },
      });
    }
    const to = `attacker-${tag}@example.com`;
    const res = await api("POST", `/api/v1/templates/${templateId}/test`, {
      token,
      body: { emails: [to], subscriberId },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [mail] = await waitForMail(to);
    const detail = await mailDetail(mail?.id ?? "");
    const raw = await mailRaw(mail?.id ?? "");
    expect(detail.subject).toBe("[Test] Links for Victim");
    const urls = urlsIn(detail.html, detail.text, raw.replace(/=\r?\n/g, ""));
    const personal = urls.filter((u) => /\/(u|preferences|v)\//.test(u));
    expect(personal.length, urls.join(" ")).toBeGreaterThanOrEqual(3);
    expect(
      personal.filter((u) => !u.endsWith("/preview")),
      urls.join(" "),
    ).toEqual([]);
    await hitEvery(urls);
    await expectStillSubscribed();
  });
});

describe("templates: render limits", () => {
  const UNSUB = `<a href="{{ unsubscribe_url }}">Unsubscribe</a>`;
  const NESTED = `{% for i in (1..3000) %}{% for j in (1..3000) %}{{ subscriber.email }}{% endfor %}{% endfor %}`;
  const HUGE_RANGE = "{% for i in (1..100000000) %}x{% endfor %}";
  // Within the memory limit (a 655,360-character string), then written ten times: 6.5 million.
  const OUTPUT_BOMB =
    `{% assign s = "xxxxxxxxxx" %}{% for i in (1..16) %}{% assign s = s | append: s %}{% endfor %}` +
    `{% for i in (1..10) %}{{ s }}{% endfor %}`;
  let id: string;

  beforeAll(async () => {
    const t = await create({ name: `Limits ${tag}`, subject: "Limits", html: `<p>Hi</p>${UNSUB}` });
    id = t.body.id;
  });

  type Failure = { error: { code: string; message: string; details: { path: string[]; message: string }[] } };
  const preview = (html: string) =>
    api<Failure>("POST", `/api/v1/templates/${id}/preview`, { token, body: { html } });

  it("answers a 3,000 x 3,000 nested loop in a preview with a quick 422, and keeps serving", async () => {
    const started = Date.now();
    const res = await preview(NESTED);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(res.body.error.code).toBe("rule_violation");
    expect(res.body.error.message).toContain(`Template "Limits ${tag}"`);
    expect(res.body.error.message).toMatch(/render limit exceeded: .*steps/);
    expect(res.body.error.details[0]?.path).toEqual(["html"]);
    const health = await fetch(`${stack().baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });

  it("answers a range of 100 million and an output-size bomb with a 422, never a 500", async () => {
    const range = await preview(HUGE_RANGE);
    expect(range.status, JSON.stringify(range.body)).toBe(422);
    expect(range.body.error.message).toMatch(/render limit exceeded: .*characters or items/);
    const output = await preview(OUTPUT_BOMB);
    expect(output.status, JSON.stringify(output.body)).toBe(422);
    expect(output.body.error.message).toMatch(/render limit exceeded: it writes more than/);
    const unsaved = await api<Failure>("POST", "/api/v1/templates/preview", {
      token,
      body: { subject: "s", html: HUGE_RANGE },
    });
    expect(unsaved.status).toBe(422);
    expect(unsaved.body.error.message).toMatch(/^The template cannot be rendered/);
    expect((await fetch(`${stack().baseUrl}/healthz`)).status).toBe(200);
  });

  it("refuses to save content that hits a limit on sample data (422 naming it), and saves nothing", async () => {
    const created = await create({ name: `Bomb ${tag}`, subject: "s", html: `${NESTED}${UNSUB}` });
    expect(created.status, JSON.stringify(created.body)).toBe(422);
    expect((created.body as unknown as Failure).error.message).toContain(
      `Template "Bomb ${tag}" cannot be rendered`,
    );
    const listed = await api<{ data: unknown[] }>(
      "GET",
      `/api/v1/templates?q=${encodeURIComponent(`Bomb ${tag}`)}`,
      {
        token,
      },
    );
    expect(listed.body.data).toHaveLength(0);
    const updated = await api<Failure>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { html: `${OUTPUT_BOMB}${UNSUB}` },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(422);
    expect(updated.body.error.message).toMatch(/render limit exceeded: it writes more than/);
    const throwing = await api<Failure>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { html: `<p>{{ "2020-01-01" | date: "%Y", "Not/AZone" }}</p>${UNSUB}` },
    });
    expect(throwing.status, JSON.stringify(throwing.body)).toBe(422);
    expect(throwing.body.error.message).toMatch(/cannot be rendered \(html, line 1\): .*time zone/);
    const after = await api<Template>("GET", `/api/v1/templates/${id}`, { token });
    expect(after.body.currentVersion).toBe(1);
  });

  it("reports a limit in the editor's check, with its part and line", async () => {
    const res = await api<{ ok: boolean; problems: { part: string; line: number; message: string }[] }>(
      "POST",
      "/api/v1/templates/check",
      { token, body: { subject: "s", html: `<p>fine</p>\n${HUGE_RANGE}\n${UNSUB}` } },
    );
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.problems).toEqual([
      expect.objectContaining({
        part: "html",
        line: 2,
        message: expect.stringMatching(/render limit exceeded/),
      }),
    ]);
    const fine = await api<{ ok: boolean }>("POST", "/api/v1/templates/check", {
      token,
      body: { subject: "s", html: `<p>{% for i in (1..50) %}{{ i }}{% endfor %}</p>${UNSUB}` },
    });
    expect(fine.body.ok).toBe(true);
  });
});

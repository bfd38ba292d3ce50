import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { api, ownerLogin, stack, userWithRole } from "../support/api";

/** Unique names per run: the suites share one database. */
const tag = Math.random().toString(36).slice(2, 8);
const addr = (local: string) => `${local}-${tag}@audience.example`;
let token: string;

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack().databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const post = (path: string, body: unknown) => api("POST", `/api/v1${path}`, { token, body });
const get = (path: string) => api("GET", `/api/v1${path}`, { token });

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
});

describe("custom fields", () => {
  it("defines fields of every type and refuses duplicates and bad keys", async () => {
    const plan = await post("/fields", {
      key: `plan_${tag}`,
      label: "Plan",
      type: "select",
      options: ["free", "pro"],
    });
    expect(plan.status).toBe(201);
    expect(plan.body).toMatchObject({ key: `plan_${tag}`, type: "select", options: ["free", "pro"] });
    expect((await post("/fields", { key: `plan_${tag}`, label: "Again", type: "text" })).status).toBe(409);
    const bad = await post("/fields", { key: "Bad Key", label: "x", type: "text" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain("key");
    expect((await post("/fields", { key: `sel_${tag}`, label: "x", type: "select" })).status).toBe(400);
    const list = await get("/fields");
    expect(list.body.data.map((f: { key: string }) => f.key)).toContain(`plan_${tag}`);
  });

  it("deleting a field removes its values from subscribers", async () => {
    const f = await post("/fields", { key: `gone_${tag}`, label: "Gone", type: "text" });
    const s = await post("/subscribers", { email: addr("gone"), fields: { [`gone_${tag}`]: "x" } });
    expect(s.body.fields).toEqual({ [`gone_${tag}`]: "x" });
    expect((await api("DELETE", `/api/v1/fields/${f.body.id}`, { token })).status).toBe(204);
    expect((await get(`/subscribers/${s.body.id}`)).body.fields).toEqual({});
  });
});

describe("lists", () => {
  it("creates, updates, counts members and archives a list with members on delete", async () => {
    const created = await post("/lists", { name: `News ${tag}`, optIn: "single", visibility: "public" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: `News ${tag}`,
      optIn: "single",
      visibility: "public",
      counts: { confirmed: 0, unconfirmed: 0, unsubscribed: 0 },
    });
    const id = created.body.id;
    await post("/subscribers", { email: addr("member1"), listIds: [id] });
    await post("/subscribers", { email: addr("member2"), listIds: [id] });
    const patched = await api("PATCH", `/api/v1/lists/${id}`, { token, body: { description: "Weekly" } });
    expect(patched.body).toMatchObject({ description: "Weekly", counts: { confirmed: 2 } });
    expect((await api("DELETE", `/api/v1/lists/${id}`, { token })).status).toBe(204);
    expect((await get(`/lists/${id}`)).body).toMatchObject({
      counts: { confirmed: 2 },
      archivedAt: expect.any(String),
    });
  });
});

describe("subscribers", () => {
  let planKey: string;
  let listId: string;

  beforeAll(async () => {
    planKey = `tier_${tag}`;
    await post("/fields", { key: planKey, label: "Tier", type: "select", options: ["gold", "silver"] });
    await post("/fields", { key: `age_${tag}`, label: "Age", type: "number" });
    listId = (await post("/lists", { name: `Members ${tag}`, optIn: "single", visibility: "private" })).body
      .id;
  });

  it("creates a subscriber with typed fields and a consent record, normalising the domain", async () => {
    const res = await api("POST", "/api/v1/subscribers", {
      token,
      body: {
        email: `Ada-${tag}@Example.ORG`,
        name: "Ada",
        fields: { [planKey]: "gold", [`age_${tag}`]: 36 },
        listIds: [listId],
      },
      headers: { "cf-connecting-ip": "203.0.113.9", "user-agent": "audience-test" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: `Ada-${tag}@example.org`,
      name: "Ada",
      status: "active",
      suppressed: false,
    });
    expect(res.body.fields).toEqual({ [planKey]: "gold", [`age_${tag}`]: 36 });
    expect(res.body.lists).toHaveLength(1);
    expect(res.body.lists[0]).toMatchObject({
      listId,
      status: "confirmed",
      source: "admin",
      ip: "203.0.113.9",
      userAgent: "audience-test",
    });
    expect(res.body.lists[0].consentedAt).toMatch(/Z$/);
  });

  it("refuses a duplicate email case-insensitively with 409", async () => {
    expect((await post("/subscribers", { email: addr("dup") })).status).toBe(201);
    expect((await post("/subscribers", { email: addr("dup").toUpperCase() })).status).toBe(409);
  });

  it("rejects display-name tricks and bad field values with details per field", async () => {
    const trick = await post("/subscribers", { email: `Boss <boss-${tag}@example.com>` });
    expect(trick.status).toBe(400);
    expect(trick.body.error.details[0].path).toEqual(["email"]);
    const bad = await post("/subscribers", {
      email: addr("badfields"),
      fields: { [planKey]: "bronze", nope: 1 },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string[] }) => d.path.join("."));
    expect(paths).toEqual(expect.arrayContaining([`fields.${planKey}`, "fields.nope"]));
    expect(
      (
        await post("/subscribers", {
          email: addr("badlist"),
          listIds: ["00000000-0000-7000-8000-000000000000"],
        })
      ).status,
    ).toBe(400);
  });

  it("merges field updates, removes a field with null, and audits the change", async () => {
    const s = (await post("/subscribers", { email: addr("merge"), fields: { [planKey]: "silver" } })).body;
    const patched = await api("PATCH", `/api/v1/subscribers/${s.id}`, {
      token,
      body: { name: "Merged", fields: { [`age_${tag}`]: 40 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.fields).toEqual({ [planKey]: "silver", [`age_${tag}`]: 40 });
    const cleared = await api("PATCH", `/api/v1/subscribers/${s.id}`, {
      token,
      body: { fields: { [planKey]: null } },
    });
    expect(cleared.body.fields).toEqual({ [`age_${tag}`]: 40 });
    const audit = await sql<{ action: string }>(
      "select action from audit_logs where entity = 'subscriber' and entity_id = $1 order by id",
      [s.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      "subscriber.create",
      "subscriber.update",
      "subscriber.update",
    ]);
  });

  it("searches by email or name prefix, filters by status and list, and pages with a cursor", async () => {
    for (let i = 0; i < 5; i++)
      await post("/subscribers", { email: addr(`page${i}`), name: `Pager ${tag} ${i}`, listIds: [listId] });
    await post("/subscribers", { email: addr("quiet"), status: "unsubscribed" });
    const byEmail = await get(`/subscribers?q=${encodeURIComponent(`page0-${tag}`)}`);
    expect(byEmail.body.data.map((s: { email: string }) => s.email)).toEqual([addr("page0")]);
    const byName = await get(`/subscribers?q=${encodeURIComponent(`pager ${tag}`)}&limit=2`);
    expect(byName.body.total).toBe(5);
    expect(byName.body.data).toHaveLength(2);
    const next = await get(
      `/subscribers?q=${encodeURIComponent(`pager ${tag}`)}&limit=2&cursor=${byName.body.nextCursor}`,
    );
    expect(next.body.data).toHaveLength(2);
    expect(next.body.data[0].id).not.toBe(byName.body.data[0].id);
    const literal = await get(`/subscribers?q=${encodeURIComponent("%")}`);
    expect(literal.body.data).toEqual([]);
    const unsub = await get(`/subscribers?status=unsubscribed&q=${encodeURIComponent(`quiet-${tag}`)}`);
    expect(unsub.body.data).toHaveLength(1);
    const members = await get(`/subscribers?listId=${listId}&limit=500`);
    expect(members.body.data.length).toBeGreaterThanOrEqual(5);
    expect(
      members.body.data.every(
        (s: { email: string }) => s.email.endsWith("@audience.example") || s.email.includes(tag),
      ),
    ).toBe(true);
  });

  it("adds and removes lists, keeping the consent record of a removed membership", async () => {
    const s = (await post("/subscribers", { email: addr("lists") })).body;
    const added = await post(`/subscribers/${s.id}/lists`, { add: [listId] });
    expect(added.body.lists[0]).toMatchObject({ listId, status: "confirmed" });
    const removed = await post(`/subscribers/${s.id}/lists`, { remove: [listId] });
    expect(removed.body.lists[0]).toMatchObject({ listId, status: "unsubscribed", source: "admin" });
    expect(removed.body.lists[0].unsubscribedAt).not.toBeNull();
  });

  it("lets analysts read but not write", async () => {
    const analyst = await userWithRole("analyst");
    expect((await api("GET", "/api/v1/subscribers", { token: analyst.accessToken })).status).toBe(200);
    const denied = await api("POST", "/api/v1/subscribers", {
      token: analyst.accessToken,
      body: { email: addr("no") },
    });
    expect(denied.status).toBe(403);
  });
});

describe("suppressions and GDPR", () => {
  it("adds, lists and lifts a suppression", async () => {
    const email = addr("blocked");
    const res = await post("/suppressions", { email, reason: "manual", detail: "asked by phone" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, reason: "manual", detail: "asked by phone" });
    expect(res.body.emailHash).toMatch(/^[0-9a-f]{64}$/);
    const listed = await get(`/suppressions?q=${encodeURIComponent(`blocked-${tag}`)}`);
    expect(listed.body.data).toHaveLength(1);
    expect(
      (await api("DELETE", `/api/v1/suppressions/${encodeURIComponent(email.toUpperCase())}`, { token }))
        .status,
    ).toBe(204);
    expect((await get(`/suppressions?q=${encodeURIComponent(`blocked-${tag}`)}`)).body.data).toHaveLength(0);
    expect((await api("DELETE", `/api/v1/suppressions/${encodeURIComponent(email)}`, { token })).status).toBe(
      404,
    );
  });

  it("exports everything held about a subscriber", async () => {
    const list = (await post("/lists", { name: `Export ${tag}` })).body;
    const s = (await post("/subscribers", { email: addr("export"), name: "Exporter", listIds: [list.id] }))
      .body;
    await sql(
      "insert into events (kind, subscriber_id, occurred_at, dedupe_key, ip) values ('open', $1, now(), $2, '198.51.100.7')",
      [s.id, `export-${tag}`],
    );
    const res = await get(`/subscribers/${s.id}/export`);
    expect(res.status).toBe(200);
    expect(res.body.profile).toMatchObject({ id: s.id, email: addr("export"), name: "Exporter" });
    expect(res.body.lists[0]).toMatchObject({ listId: list.id, source: "admin" });
    expect(res.body.events).toHaveLength(1);
    expect(res.body.events[0]).toMatchObject({ kind: "open", ip: "198.51.100.7" });
    expect(res.body.suppressed).toBe(false);
    const timeline = await get(`/subscribers/${s.id}/events`);
    expect(timeline.body.data[0]).toMatchObject({ kind: "open" });
  });

  it("erases personal data, keeps a hashed suppression, and stays suppressed when the address returns", async () => {
    const email = addr("erase");
    const s = (await post("/subscribers", { email, name: "Eraser" })).body;
    await sql(
      "insert into events (kind, subscriber_id, occurred_at, dedupe_key, ip) values ('click', $1, now(), $2, '198.51.100.8')",
      [s.id, `erase-${tag}`],
    );
    expect((await api("DELETE", `/api/v1/subscribers/${s.id}`, { token })).status).toBe(204);
    expect((await get(`/subscribers/${s.id}`)).status).toBe(404);
    const rows = await sql<{ email: string | null; reason: string }>(
      "select email, reason from suppressions where email_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')",
      [email.toLowerCase()],
    );
    expect(rows).toEqual([{ email: null, reason: "erased" }]);
    const leftovers = await sql(
      "select 1 from events where dedupe_key = $1 and (subscriber_id is not null or ip is not null)",
      [`erase-${tag}`],
    );
    expect(leftovers).toHaveLength(0);
    const audit = await sql<{ action: string; diff: unknown }>(
      "select action, diff from audit_logs where entity = 'subscriber' and entity_id = $1 order by id",
      [s.id],
    );
    expect(audit.map((a) => a.action)).toEqual(["subscriber.create", "subscriber.erase"]);
    expect(JSON.stringify(audit)).not.toContain("Eraser");
    // The same person added again is a new subscriber, but the address stays suppressed.
    const back = await post("/subscribers", { email });
    expect(back.status).toBe(201);
    expect(back.body.suppressed).toBe(true);
  });
});

import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../workers/lib/csv";
import { api, ownerLogin, stack, userWithRole } from "../support/api";

/** Unique names per run: the suites share one database, so every query filters by this suite's list. */
const tag = Math.random().toString(36).slice(2, 8);
const addr = (local: string) => `${local}-${tag}@sort.example`;
let token: string;
let listId: string;
let otherListId: string;
const fieldKey = `tier_${tag}`;

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack().databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const get = (path: string, as = token) => api("GET", `/api/v1${path}`, { token: as });

/** Pages through a sorted list with a small limit; returns the emails in the order served. */
async function allPages(query: string, limit = 3): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const page = await get(
      `/subscribers?listId=${listId}&${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(page.status).toBe(200);
    out.push(...page.body.data.map((s: { email: string }) => s.email));
    cursor = page.body.nextCursor;
    if (!cursor) return out;
  }
  throw new Error("did not finish paging");
}

const people = [
  { local: "delta", name: "Zoë Delta", tier: "gold" },
  { local: "alpha", name: "bob Alpha", tier: "=1+2" },
  { local: "Charlie", name: null, tier: null },
  { local: "echo", name: '=HYPERLINK("http://evil.example","x")', tier: "silver" },
  { local: "bravo", name: "Anna Bravo", tier: "@SUM(A1)" },
  { local: "foxtrot", name: "anna bravo", tier: "-5" },
  { local: "golf", name: 'Carl, "the" Golf', tier: "+cmd" },
];

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  listId = (await api("POST", "/api/v1/lists", { token, body: { name: `Sort ${tag}`, optIn: "single" } }))
    .body.id;
  otherListId = (
    await api("POST", "/api/v1/lists", { token, body: { name: `Other ${tag}`, optIn: "single" } })
  ).body.id;
  expect(
    (await api("POST", "/api/v1/fields", { token, body: { key: fieldKey, label: "Tier", type: "text" } }))
      .status,
  ).toBe(201);
  for (const p of people) {
    const res = await api("POST", "/api/v1/subscribers", {
      token,
      body: {
        email: addr(p.local),
        name: p.name,
        listIds: p.local === "golf" ? [listId, otherListId] : [listId],
        ...(p.tier ? { fields: { [fieldKey]: p.tier } } : {}),
      },
    });
    expect(res.status).toBe(201);
  }
  const echo = await get(`/subscribers?listId=${listId}&q=echo`);
  await api("PATCH", `/api/v1/subscribers/${echo.body.data[0].id}`, {
    token,
    body: { status: "unsubscribed" },
  });
});

describe("sorting the subscriber list", () => {
  const byEmail = people
    .map((p) => addr(p.local))
    .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));

  it("sorts by email both ways, paging across pages without gaps or repeats", async () => {
    expect(await allPages("sort=email&order=asc")).toEqual(byEmail);
    expect(await allPages("sort=email&order=desc")).toEqual([...byEmail].reverse());
  });

  it("sorts by name case-insensitively with ties broken by id, no name first ascending", async () => {
    const asc = await allPages("sort=name&order=asc", 2);
    // Where "=HYPERLINK…" sorts depends on the database's collation: leave it out of the check.
    const named = asc.filter((e) => e !== addr("echo"));
    expect(named[0]).toBe(addr("Charlie"));
    expect(named.slice(1, 3).sort()).toEqual([addr("bravo"), addr("foxtrot")].sort());
    expect(named.slice(3)).toEqual([addr("alpha"), addr("golf"), addr("delta")]);
    const desc = await allPages("sort=name&order=desc", 2);
    expect(desc).toEqual([...asc].reverse());
  });

  it("sorts by created and updated time and by status, in both directions", async () => {
    const created = await allPages("sort=createdAt&order=asc", 2);
    expect(created).toEqual(people.map((p) => addr(p.local)));
    expect(await allPages("sort=createdAt", 2)).toEqual([...created].reverse());
    const updated = await allPages("sort=updatedAt&order=desc", 4);
    expect(updated[0]).toBe(addr("echo"));
    const status = await allPages("sort=status&order=desc", 2);
    expect(status[0]).toBe(addr("echo"));
    expect(status).toHaveLength(people.length);
  });

  it("refuses a cursor from another sort, a tampered one and a plain one with 400, never 500", async () => {
    const first = await get(`/subscribers?listId=${listId}&sort=email&limit=2`);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toBeTruthy();
    for (const query of ["sort=name", "sort=email&order=desc", ""]) {
      const res = await get(`/subscribers?listId=${listId}&${query}&cursor=${cursor}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    const plain = (await get(`/subscribers?listId=${listId}&limit=2`)).body.nextCursor as string;
    expect((await get(`/subscribers?listId=${listId}&sort=email&cursor=${plain}`)).status).toBe(400);
    const forge = (key: object) => Buffer.from(JSON.stringify(key)).toString("base64url");
    const id = first.body.data[0].id;
    for (const bad of [
      forge({ id, s: "createdAt.desc", k: "not a time" }),
      forge({ id, s: "createdAt.desc", k: "99999-01-01 00:00:00+00" }),
      forge({ id, s: "status.asc", k: "nonsense" }),
      forge({ id: "x", s: "name.asc", k: "a" }),
      forge({ id, s: "name.asc", k: 5 }),
      "%%%",
    ]) {
      const sort = /createdAt/.test(Buffer.from(bad, "base64url").toString())
        ? "createdAt"
        : /status/.test(Buffer.from(bad, "base64url").toString())
          ? "status&order=asc"
          : "name";
      const res = await get(`/subscribers?listId=${listId}&sort=${sort}&cursor=${bad}`);
      expect(res.status, bad).toBe(400);
    }
    expect((await get(`/subscribers?sort=age`)).status).toBe(400);
    expect((await get(`/subscribers?sort=email&order=up`)).status).toBe(400);
  });
});

describe("exporting a filter as CSV", () => {
  it("streams every matching subscriber with fields, lists and status, formula-safe", async () => {
    const res = await get(`/subscribers/export?listId=${listId}&sort=email`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="subscribers-.*\.csv"/);
    const text = res.body as unknown as string;
    const rows = parseCsv(text, { delimiter: "," }).map((r) => r.fields);
    const header = rows[0] ?? [];
    expect(header.slice(0, 6)).toEqual(["email", "name", "status", "lists", "created_at", "updated_at"]);
    expect(header).toContain(fieldKey);
    const data = rows.slice(1);
    expect(data.map((r) => r[0])).toEqual(byEmailOrder());
    const at = (local: string) => {
      const row = data.find((r) => r[0] === addr(local));
      if (!row) throw new Error(`no row for ${local}`);
      return Object.fromEntries(header.map((h, i) => [h, row[i] ?? ""]));
    };
    expect(at("echo")).toMatchObject({
      name: `'=HYPERLINK("http://evil.example","x")`,
      status: "unsubscribed",
    });
    expect(at("alpha")[fieldKey]).toBe("'=1+2");
    expect(at("bravo")[fieldKey]).toBe("'@SUM(A1)");
    expect(at("foxtrot")[fieldKey]).toBe("-5");
    expect(at("golf")).toMatchObject({ name: 'Carl, "the" Golf', [fieldKey]: "'+cmd" });
    expect(at("golf").lists).toBe([`Other ${tag}`, `Sort ${tag}`].sort().join("; "));
    expect(at("Charlie")).toMatchObject({ name: "", [fieldKey]: "" });
    expect(Date.parse(at("delta").created_at ?? "")).not.toBeNaN();
    // No raw cell starts a formula.
    for (const row of data) for (const cell of row) expect(cell, cell).not.toMatch(/^[=+@]/);
  });

  it("applies the same filters as the list: status, search, list", async () => {
    const active = parseCsv(
      (await get(`/subscribers/export?listId=${listId}&status=unsubscribed`)).body as unknown as string,
      { delimiter: "," },
    );
    expect(active.slice(1).map((r) => r.fields[0])).toEqual([addr("echo")]);
    const search = parseCsv(
      (await get(`/subscribers/export?listId=${listId}&q=anna`)).body as unknown as string,
      { delimiter: "," },
    );
    expect(
      search
        .slice(1)
        .map((r) => r.fields[0])
        .sort(),
    ).toEqual([addr("bravo"), addr("foxtrot")].sort());
    const other = parseCsv(
      (await get(`/subscribers/export?listId=${otherListId}`)).body as unknown as string,
      { delimiter: "," },
    );
    expect(other.slice(1).map((r) => r.fields[0])).toEqual([addr("golf")]);
    expect((await get(`/subscribers/export?segmentId=00000000-0000-7000-8000-000000000000`)).status).toBe(
      400,
    );
  });

  it("writes one audit row per export, with its filters", async () => {
    await get(`/subscribers/export?listId=${otherListId}&sort=name&order=desc`);
    const rows = await sql<{ actor_type: string; diff: { after: { filters: Record<string, string> } } }>(
      `select actor_type, diff from audit_logs where action = 'subscriber.export' and diff->'after'->'filters'->>'listId' = $1`,
      [otherListId],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(
      rows.some((r) => r.diff.after.filters.sort === "name" && r.diff.after.filters.order === "desc"),
    ).toBe(true);
  });

  it("is for editors and above: analysts get 403", async () => {
    const analyst = await userWithRole("analyst");
    expect((await get(`/subscribers/export?listId=${listId}`, analyst.accessToken)).status).toBe(403);
    expect((await get(`/subscribers?listId=${listId}&sort=email`, analyst.accessToken)).status).toBe(200);
    const editor = await userWithRole("editor");
    const res = await get(`/subscribers/export?listId=${otherListId}`, editor.accessToken);
    expect(res.status).toBe(200);
    expect(res.body as unknown as string).toContain(addr("golf"));
  });

  it("streams more rows than one page holds", async () => {
    const big = (await api("POST", "/api/v1/lists", { token, body: { name: `Big ${tag}`, optIn: "single" } }))
      .body.id;
    await sql(
      `with s as (insert into subscribers (id, email) select gen_random_uuid(), 'bulk' || g || '-${tag}@sort.example' from generate_series(1, 2105) g returning id)
       insert into list_memberships (list_id, subscriber_id, status, source) select $1, id, 'confirmed', 'import' from s`,
      [big],
    );
    const res = await get(`/subscribers/export?listId=${big}&sort=email&order=desc`);
    const rows = parseCsv(res.body as unknown as string, { delimiter: "," }).slice(1);
    expect(rows).toHaveLength(2105);
    expect(new Set(rows.map((r) => r.fields[0])).size).toBe(2105);
    expect(rows[0]?.fields[0]).toMatch(/^bulk9/);
  });
});

function byEmailOrder(): string[] {
  return people.map((p) => addr(p.local)).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

describe("the activity timeline", () => {
  it("names the campaign and the workflow of each event, and says when they are gone", async () => {
    const [alpha] = await sql<{ id: string }>("select id from subscribers where email = $1", [addr("alpha")]);
    const id = alpha?.id ?? "";
    // The template and the workflow through the API: the stack is shared, and a bare workflow row
    // (no version) broke other suites' workflow lists.
    const template = await api<{ id: string }>("POST", "/api/v1/templates", {
      token,
      body: {
        name: `Launch ${tag}`,
        subject: "Hi",
        html: '<p>Hi</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
      },
    });
    expect(template.status).toBe(201);
    const created = await api<{ id: string }>("POST", "/api/v1/workflows", {
      token,
      body: {
        name: `Welcome ${tag}`,
        trigger: { type: "event", name: `timeline_${tag}`.replace(/[^a-z0-9_]/gi, "_") },
        nodes: [{ id: "w", type: "wait", seconds: 60 }],
        edges: [],
      },
    });
    expect(created.status).toBe(201);
    await sql(
      `with c as (insert into campaigns (id, name, template_id, from_name, from_email, archived_at)
              values (gen_random_uuid(), $2, $3, 'T', 't@sort.example', now()) returning id),
        w as (select $4::uuid as id),
        s as (insert into sends (workflow_id, subscriber_id, email, status) select w.id, $1, 'x', 'sent' from w returning id),
        gone as (insert into sends (workflow_id, subscriber_id, email, status)
                 values (gen_random_uuid(), $1, 'x', 'sent') returning id)
       insert into events (kind, campaign_id, send_id, subscriber_id, occurred_at, dedupe_key)
       select 'open'::event_kind, c.id, null::bigint, $1::uuid, now() - interval '4 hours', 'tl-c-' || c.id from c
       union all select 'click', null, s.id, $1::uuid, now() - interval '3 hours', 'tl-w-' || s.id from s
       union all select 'open', gen_random_uuid(), null, $1::uuid, now() - interval '2 hours', 'tl-gc-' || $1
       union all select 'click', null, gone.id, $1::uuid, now() - interval '1 hour', 'tl-gw-' || gone.id from gone`,
      [id, `Launch ${tag}`, template.body.id, created.body.id],
    );
    const res = await get(`/subscribers/${id}/events`);
    expect(res.status).toBe(200);
    const [goneWorkflow, goneCampaign, workflow, campaign] = res.body.data;
    expect(campaign).toMatchObject({
      campaignName: `Launch ${tag}`,
      campaignArchived: true,
      campaignDeleted: false,
    });
    expect(workflow).toMatchObject({
      workflowName: `Welcome ${tag}`,
      workflowDeleted: false,
      campaignId: null,
    });
    expect(goneCampaign).toMatchObject({ campaignName: null, campaignDeleted: true });
    expect(goneWorkflow).toMatchObject({ workflowName: null, workflowDeleted: true });
  });
});

import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { bounceToken } from "../../workers/lib/bounce-token";
import { api, ownerLogin, stack } from "../support/api";
import { waitForMail } from "../support/mailbox";

/**
 * DELETE of a campaign that has sent, or of a list with members, archives instead of destroying
 * the record: the ledger, rollups, events and consent records stay and late bounces still match.
 */

const tag = Math.random().toString(36).slice(2, 7);
const addr = (local: string) => `${local}-${tag}@archive.example.com`;
const HTML = `<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`;
let token: string;
let templateId: string;

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack().databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const call = (method: string, path: string, body?: unknown) =>
  api(method, `/api/v1${path}`, { token, ...(body === undefined ? {} : { body }) });

async function makeList(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call("POST", "/lists", { name: `${name} ${tag}`, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function makeCampaign(name: string, listId: string): Promise<string> {
  const res = await call("POST", "/campaigns", {
    name: `${name} ${tag}`,
    templateId,
    listIds: [listId],
    fromName: "Archive",
    fromEmail: "news@archive.example.com",
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function waitStatus(id: string, status: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await call("GET", `/campaigns/${id}`);
    if (res.body.status === status) return res.body;
    if (Date.now() > deadline) throw new Error(`campaign ${id} still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const auditActions = async (entityId: string) =>
  (
    await sql<{ action: string }>("select action from audit_logs where entity_id = $1 order by created_at", [
      entityId,
    ])
  ).map((r) => r.action);

const idsOf = (page: { data: { id: string }[] }) => page.data.map((r) => r.id);

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  const t = await call("POST", "/templates", { name: `Archive ${tag}`, subject: "Hello", html: HTML });
  expect(t.status, JSON.stringify(t.body)).toBe(201);
  templateId = t.body.id;
});

describe("campaigns: delete or archive", () => {
  it("really deletes a draft that never sent", async () => {
    const listId = await makeList("draft list");
    const id = await makeCampaign("draft", listId);
    expect((await call("DELETE", `/campaigns/${id}`)).status).toBe(204);
    expect((await call("GET", `/campaigns/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toEqual(["campaign.create", "campaign.delete"]);
  });

  it("archives a sent campaign: ledger, stats and events stay, a late bounce still matches, nothing can change it", async () => {
    const listId = await makeList("sent list");
    for (const who of ["ann", "bob"]) {
      const res = await call("POST", "/subscribers", { email: addr(who), name: who, listIds: [listId] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const id = await makeCampaign("sent", listId);
    expect((await call("POST", `/campaigns/${id}/send`, {})).status).toBe(200);
    await waitStatus(id, "sent");
    await waitForMail(addr("ann"));
    const statsBefore = (await call("GET", `/campaigns/${id}/stats`)).body;
    expect(statsBefore).toMatchObject({ sent: 2 });

    const del = await call("DELETE", `/campaigns/${id}`);
    expect(del.status).toBe(204);
    const got = await call("GET", `/campaigns/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ status: "sent", sentCount: 2 });
    expect(got.body.archivedAt).toMatch(/Z$/);
    expect(idsOf((await call("GET", "/campaigns?limit=500")).body)).not.toContain(id);
    expect(idsOf((await call("GET", "/campaigns?limit=500&archived=true")).body)).toContain(id);
    expect((await call("GET", `/campaigns/${id}/stats`)).body).toEqual(statsBefore);
    const log = await call("GET", `/campaigns/${id}/sends`);
    expect(log.body.data).toHaveLength(2);
    expect(await sql("select 1 from events where campaign_id = $1", [id])).not.toHaveLength(0);

    // A bounce arriving after the archive still finds its send.
    const [send] = await sql<{ id: string; email: string }>(
      "select id, email from sends where campaign_id = $1 and lower(email) = lower($2)",
      [id, addr("bob")],
    );
    const bounceTo = `bounces+${await bounceToken(stack().secrets.TRACKING_SECRET ?? "", Number(send?.id))}@archive.example.com`;
    const dsn = [
      "From: MAILER-DAEMON@mx.example.net",
      `To: ${bounceTo}`,
      "Subject: Undelivered Mail Returned to Sender",
      `Message-ID: <late.${tag}@mx.example.net>`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      "",
      "--B",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.example.net",
      "",
      `Final-Recipient: rfc822; ${send?.email}`,
      "Action: failed",
      "Status: 5.1.1",
      "Diagnostic-Code: smtp; 550 5.1.1 user unknown",
      "",
      "--B--",
      "",
    ].join("\r\n");
    const inbound = await fetch(
      `${stack().baseUrl}/cdn-cgi/handler/email?from=${encodeURIComponent("MAILER-DAEMON@mx.example.net")}&to=${encodeURIComponent(bounceTo)}`,
      { method: "POST", body: dsn },
    );
    expect(inbound.status).toBeLessThan(300);
    const [after] = await sql<{ status: string }>("select status from sends where id = $1", [send?.id]);
    expect(after?.status).toBe("bounced");

    // Archived: no edit, no resend, no test, no second archive row.
    expect((await call("PATCH", `/campaigns/${id}`, { name: "renamed" })).status).toBe(409);
    expect((await call("POST", `/campaigns/${id}/retry`, {})).status).toBe(409);
    expect((await call("POST", `/campaigns/${id}/test`, { emails: [addr("tester")] })).status).toBe(409);
    expect((await call("DELETE", `/campaigns/${id}`)).status).toBe(204);
    const actions = await auditActions(id);
    expect(actions.filter((a) => a === "campaign.archive")).toHaveLength(1);
    expect(actions).not.toContain("campaign.delete");
  });

  it("still refuses to delete a running campaign (409)", async () => {
    const listId = await makeList("running list");
    const id = await makeCampaign("running", listId);
    await sql("update campaigns set status = 'paused', started_at = now() where id = $1", [id]);
    const res = await call("DELETE", `/campaigns/${id}`);
    expect(res.status).toBe(409);
    expect((await call("GET", `/campaigns/${id}`)).body.archivedAt).toBeNull();
  });
});

describe("lists: delete or archive", () => {
  it("really deletes an empty list", async () => {
    const id = await makeList("empty");
    expect((await call("DELETE", `/lists/${id}`)).status).toBe(204);
    expect((await call("GET", `/lists/${id}`)).status).toBe(404);
  });

  it("archives a list with members: consent records stay, it takes no one new and leaves the pickers", async () => {
    const id = await makeList("members", { optIn: "single", visibility: "public" });
    const member = await call("POST", "/subscribers", { email: addr("member"), listIds: [id] });
    expect(member.status).toBe(201);
    const segment = await call("POST", "/segments", { name: `on archived ${tag}`, rules: { list: id } });
    expect(segment.status, JSON.stringify(segment.body)).toBe(201);

    expect((await call("DELETE", `/lists/${id}`)).status).toBe(204);
    const got = await call("GET", `/lists/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.archivedAt).toMatch(/Z$/);
    expect(got.body.counts).toMatchObject({ confirmed: 1 });
    expect(idsOf((await call("GET", "/lists?limit=500")).body)).not.toContain(id);
    expect(idsOf((await call("GET", "/lists?limit=500&archived=true")).body)).toContain(id);
    const detail = await call("GET", `/subscribers/${member.body.id}`);
    expect(detail.body.lists).toEqual([expect.objectContaining({ listId: id, status: "confirmed" })]);
    expect(await auditActions(id)).toEqual(["list.create", "list.archive"]);

    // Nobody new joins: API, membership change, import, the public form.
    const create = await call("POST", "/subscribers", { email: addr("late"), listIds: [id] });
    expect(create.status).toBe(422);
    expect(create.body.error.message).toMatch(/archived/);
    const other = await call("POST", "/subscribers", { email: addr("other") });
    expect((await call("POST", `/subscribers/${other.body.id}/lists`, { add: [id] })).status).toBe(422);
    const imp = await fetch(`${stack().baseUrl}/api/v1/imports?listIds=${id}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
      body: `email\n${addr("imported")}\n`,
    });
    expect(imp.status).toBe(422);
    const form = await fetch(`${stack().baseUrl}/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.77" },
      body: JSON.stringify({ email: addr("public"), listIds: [id] }),
    });
    expect(form.status).toBe(422);
    expect(await sql("select 1 from subscribers where lower(email) = lower($1)", [addr("public")])).toEqual(
      [],
    );

    // What referred to it keeps working, and members can still leave it.
    const preview = await call("POST", "/segments/preview", { rules: { list: id } });
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(1);
    const leave = await call("POST", `/subscribers/${member.body.id}/lists`, { remove: [id] });
    expect(leave.status).toBe(200);
    expect(leave.body.lists[0]).toMatchObject({ listId: id, status: "unsubscribed" });
  });
});

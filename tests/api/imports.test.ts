import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importChunks, imports } from "../../schema/imports";
import { listMemberships, lists } from "../../schema/lists";
import { fields, subscribers } from "../../schema/subscribers";
import { suppressions } from "../../schema/suppressions";
import { applyImportChunk } from "../../workers/domain/audience/imports/apply";
import { createImport, getImport } from "../../workers/domain/audience/imports/imports";
import { isSuppressed, suppressEmail } from "../../workers/domain/audience/suppressions/suppressions";
import { parseCsv } from "../../workers/lib/csv";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { api, ownerLogin, stack, userWithRole } from "../support/api";
import { contextWithQueues } from "../support/domain";

const tag = Math.random().toString(36).slice(2, 7);
/** Field keys unique to this run (the stack is shared with other suites). */
const AGE = `imp_age_${tag}`;
const CITY = `imp_city_${tag}`;
const VIP = `imp_vip_${tag}`;
const addr = (local: string) => `${local}-${tag}@imp.example.com`;

let conn: DbConnection;
let token: string;

interface ImportView {
  id: string;
  status: string;
  total: number;
  processed: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
  chunks: number;
  delimiter: string;
  errors: { row: number; message: string; email?: string }[];
}

async function upload(
  csv: string,
  query: Record<string, string> | string = {},
  opts: { type?: string; token?: string } = {},
) {
  const qs = typeof query === "string" ? query : new URLSearchParams(query).toString();
  const res = await fetch(`${stack().baseUrl}/api/v1/imports${qs ? `?${qs}` : ""}`, {
    method: "POST",
    headers: { authorization: `Bearer ${opts.token ?? token}`, "content-type": opts.type ?? "text/csv" },
    body: csv,
  });
  return {
    status: res.status,
    body: (await res.json()) as { id: string; import: ImportView; error?: { message: string } },
  };
}

async function waitDone(id: string, timeoutMs = 60_000): Promise<ImportView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api<ImportView>("GET", `/api/v1/imports/${id}`, { token });
    expect(res.status).toBe(200);
    if (res.body.status === "done" || res.body.status === "failed") return res.body;
    if (Date.now() > deadline)
      throw new Error(`import ${id} still ${res.body.status}: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function importAndWait(csv: string, query: Record<string, string> | string = {}) {
  const res = await upload(csv, query);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return waitDone(res.body.id);
}

const subscriberByEmail = async (email: string) =>
  (await conn.db.select().from(subscribers).where(sql`lower(${subscribers.email}) = lower(${email})`))[0];

async function makeList(optIn: "single" | "double") {
  const [row] = await conn.db
    .insert(lists)
    .values({ name: `imports ${optIn} ${tag}`, optIn })
    .returning();
  if (!row) throw new Error("no list");
  return row.id;
}

beforeAll(async () => {
  conn = openDb(stack().databaseUrl);
  token = (await ownerLogin()).accessToken;
  await conn.db.insert(fields).values([
    { key: AGE, label: "Age", type: "number" },
    { key: CITY, label: "City", type: "text" },
    { key: VIP, label: "VIP", type: "boolean" },
  ]);
});

afterAll(async () => {
  await conn?.close();
});

describe("imports: messy files", { timeout: 120_000 }, () => {
  it("imports a BOM, CRLF file with quoted newlines; bad rows are reported by row while good rows land", async () => {
    const csv =
      `\uFEFFEmail,Name,${AGE},${CITY},ignored\r\n` +
      `${addr("ann")},"Smith, Ann",41,"Line one\r\nLine two",x\r\n` + // row 2 spans two lines
      `not-an-email,Bad,1,Oslo,x\r\n` + // row 3
      `${addr("bob")},Bob,forty,Oslo,x\r\n` + // row 4: wrong field type
      `\r\n` + // row 5: blank, skipped
      `${addr("ANN").toUpperCase()},Ann Again,42,Rome,x\r\n` + // row 6: duplicate of row 2
      `${addr("cy")},"Cy ""The Guy""",,Paris,x\r\n`; // row 7
    const done = await importAndWait(csv);
    expect(done).toMatchObject({
      status: "done",
      total: 5,
      processed: 5,
      inserted: 2,
      updated: 0,
      failed: 3,
    });
    expect(done.errors.map((e) => e.row)).toEqual([3, 4, 6]);
    expect(done.errors[0]?.message).toMatch(/invalid email/);
    expect(done.errors[1]?.message).toMatch(new RegExp(`${AGE}: must be a number`));
    expect(done.errors[2]?.message).toMatch(/duplicate email.*row 2/);
    const ann = await subscriberByEmail(addr("ann"));
    expect(ann).toMatchObject({ name: "Smith, Ann", fields: { [AGE]: 41, [CITY]: "Line one\r\nLine two" } });
    const cy = await subscriberByEmail(addr("cy"));
    expect(cy).toMatchObject({ name: 'Cy "The Guy"', fields: { [CITY]: "Paris" } });
    expect(cy?.fields).not.toHaveProperty(AGE);
    expect(await subscriberByEmail(addr("bob"))).toBeUndefined();

    const csvRes = await fetch(`${stack().baseUrl}/api/v1/imports/${done.id}/errors.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csvRes.text()).trim().split("\n");
    expect(lines[0]).toBe("row,email,reason");
    expect(lines[1]).toMatch(/^3,not-an-email,invalid email/);
    expect(lines[3]).toMatch(new RegExp(`^6,${addr("ANN").toUpperCase()},duplicate email`));
  });

  it("writes errors.csv so that no cell starts a spreadsheet formula", async () => {
    const evil = ['=HYPERLINK("http://evil.example","x")', "+1+cmd", "-2+3", "@SUM(A1)"];
    const csv = `email,name\n${evil.map((e) => `"${e.replace(/"/g, '""')}",x`).join("\n")}\n`;
    const done = await importAndWait(csv);
    expect(done).toMatchObject({ status: "done", failed: 4 });
    const res = await fetch(`${stack().baseUrl}/api/v1/imports/${done.id}/errors.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const cells = parseCsv(await res.text(), { delimiter: "," }).flatMap((r) => r.fields);
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    for (const e of evil) expect(cells).toContain(`'${e}`);
  });

  it("detects semicolon and tab delimiters", async () => {
    const semi = await importAndWait(`email;name;${CITY}\n${addr("semi")};"Doe; Jane";"Köln, DE"\n`);
    expect(semi).toMatchObject({ status: "done", delimiter: ";", inserted: 1, failed: 0 });
    expect(await subscriberByEmail(addr("semi"))).toMatchObject({
      name: "Doe; Jane",
      fields: { [CITY]: "Köln, DE" },
    });
    const tab = await importAndWait(`email\tname\t${VIP}\n${addr("tab")}\tTab, Person\tyes\n`);
    expect(tab).toMatchObject({ status: "done", delimiter: "\t", inserted: 1 });
    expect(await subscriberByEmail(addr("tab"))).toMatchObject({
      name: "Tab, Person",
      fields: { [VIP]: true },
    });
  });

  it("takes a multipart/form-data upload with a file part", async () => {
    const form = new FormData();
    form.append("note", "ignored");
    form.append(
      "file",
      new Blob([`email,name\n${addr("multi")},Multi Part\n`], { type: "text/csv" }),
      "people.csv",
    );
    const res = await fetch(`${stack().baseUrl}/api/v1/imports`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const body = (await res.json()) as { id: string; import: { filename: string } };
    expect(res.status, JSON.stringify(body)).toBe(202);
    expect(body.import.filename).toBe("people.csv");
    expect(await waitDone(body.id)).toMatchObject({ status: "done", inserted: 1 });
    expect(await subscriberByEmail(addr("multi"))).toMatchObject({ name: "Multi Part" });
  });

  it("refuses a mapping to an unknown column or field key, or no email column, with 400 and stores nothing", async () => {
    const before = (await conn.db.select({ n: sql<number>`count(*)::int` }).from(imports))[0]?.n;
    const csv = `E-Mail Address,Full name\n${addr("map")},Mapped\n`;
    const unknownColumn = await upload(csv, { mapping: JSON.stringify({ Mail: "email" }) });
    expect(unknownColumn.status).toBe(400);
    expect(unknownColumn.body.error?.message).toMatch(/column "Mail", which is not in the file's header/);
    const unknownField = await upload(csv, {
      mapping: JSON.stringify({ "E-Mail Address": "email", "Full name": "nope" }),
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error?.message).toMatch(/"nope", which is neither email, name nor a field key/);
    const noEmail = await upload(csv);
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error?.message).toMatch(/no email column/);
    expect((await upload(csv, { mapping: "{not json" })).status).toBe(400);
    expect((await upload(csv, { listIds: "not-a-uuid" })).status).toBe(400);
    expect((await upload("", {})).status).toBe(400);
    const after = (await conn.db.select({ n: sql<number>`count(*)::int` }).from(imports))[0]?.n;
    expect(after).toBe(before);
    const mapped = await importAndWait(csv, {
      mapping: JSON.stringify({ "E-Mail Address": "email", "Full name": "name" }),
    });
    expect(mapped).toMatchObject({ status: "done", inserted: 1 });
    expect(await subscriberByEmail(addr("map"))).toMatchObject({ name: "Mapped" });
  });

  it("checks the role first, then the media type", async () => {
    const analyst = await userWithRole("analyst");
    expect((await upload("email\nx@y.io\n", {}, { token: analyst.accessToken })).status).toBe(403);
    expect((await upload('{"email":"x@y.io"}', {}, { type: "application/json" })).status).toBe(415);
    expect((await upload("email\nx@y.io\n", {}, { token: "nope" })).status).toBe(401);
    const editor = await userWithRole("editor");
    const ok = await upload(`email\n${addr("editor")}\n`, {}, { token: editor.accessToken });
    expect(ok.status).toBe(202);
    await waitDone(ok.body.id);
    const listed = await api("GET", "/api/v1/imports?limit=5", { token: analyst.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.data[0]).toMatchObject({ id: ok.body.id });
    expect(listed.body.data[0]).not.toHaveProperty("errors");
  });
});

describe("imports: modes and consent", { timeout: 120_000 }, () => {
  it("upsert updates name and merges fields; skip leaves existing subscribers untouched", async () => {
    await importAndWait(
      `email,name,${AGE},${CITY}\n${addr("up")},Old Name,30,Lisbon\n${addr("keep")},Keep,1,Here\n`,
    );
    const up = await importAndWait(
      `email,name,${AGE}\n${addr("UP").toUpperCase()},New Name,31\n${addr("new1")},,\n`,
    );
    expect(up).toMatchObject({ inserted: 1, updated: 1, skipped: 0, failed: 0 });
    const row = await subscriberByEmail(addr("up"));
    expect(row).toMatchObject({
      email: addr("up"),
      name: "New Name",
      fields: { [AGE]: 31, [CITY]: "Lisbon" },
    });

    const skip = await importAndWait(
      `email,name,${AGE}\n${addr("keep")},Changed,99\n${addr("new2")},New Two,5\n`,
      {
        mode: "skip",
      },
    );
    expect(skip).toMatchObject({ inserted: 1, updated: 0, skipped: 1, failed: 0 });
    expect(await subscriberByEmail(addr("keep"))).toMatchObject({ name: "Keep", fields: { [AGE]: 1 } });
  });

  it("records the import as consent source; double opt-in members are confirmed unless confirmations are asked for", async () => {
    const single = await makeList("single");
    const double = await makeList("double");
    // An existing membership with its own consent record, which the import must keep.
    await importAndWait(`email\n${addr("prior")}\n`);
    const prior = await subscriberByEmail(addr("prior"));
    if (!prior) throw new Error("no prior subscriber");
    const consentedAt = new Date("2020-01-02T03:04:05Z");
    await conn.db.insert(listMemberships).values({
      listId: double,
      subscriberId: prior.id,
      status: "unsubscribed",
      source: "form",
      ip: "192.0.2.1",
      consentedAt,
      unsubscribedAt: consentedAt,
    });

    const done = await importAndWait(`email,name\n${addr("prior")},Prior\n${addr("consent")},Consent\n`, {
      listIds: `${single},${double}`,
    });
    expect(done).toMatchObject({ status: "done", inserted: 1, updated: 1 });
    const consent = await subscriberByEmail(addr("consent"));
    const memberships = await conn.db
      .select()
      .from(listMemberships)
      .where(inArray(listMemberships.subscriberId, [prior.id, consent?.id ?? ""]));
    const of = (s: string, l: string) => memberships.find((m) => m.subscriberId === s && m.listId === l);
    expect(of(consent?.id ?? "", double)).toMatchObject({
      status: "confirmed",
      source: "import",
      confirmedAt: null,
    });
    expect(of(consent?.id ?? "", single)).toMatchObject({ status: "confirmed", source: "import" });
    expect(of(prior.id, double)).toMatchObject({
      status: "unsubscribed",
      source: "form",
      ip: "192.0.2.1",
      consentedAt,
    });
    expect(of(prior.id, single)).toMatchObject({ status: "confirmed", source: "import" });

    // Asked for confirmations (listIds repeated this time): new double opt-in members wait unconfirmed.
    const asked = await importAndWait(
      `email\n${addr("ask")}\n`,
      `listIds=${single}&listIds=${double}&sendConfirmations=true`,
    );
    expect(asked).toMatchObject({ status: "done", inserted: 1 });
    const ask = await subscriberByEmail(addr("ask"));
    const askMemberships = await conn.db
      .select()
      .from(listMemberships)
      .where(eq(listMemberships.subscriberId, ask?.id ?? ""));
    expect(askMemberships.find((m) => m.listId === double)).toMatchObject({
      status: "unconfirmed",
      source: "import",
    });
    expect(askMemberships.find((m) => m.listId === single)).toMatchObject({
      status: "confirmed",
      source: "import",
    });
  });
});

/** A CSV of `n` rows for `prefix`, with every 10th row invalid and one duplicate at the end. */
function bigCsv(prefix: string, n: number): string {
  const lines = [`email,name,${AGE}`];
  for (let i = 0; i < n; i++) {
    lines.push(i % 10 === 9 ? `broken-${i},Broken,${i}` : `${addr(`${prefix}${i}`)},Person ${i},${i}`);
  }
  lines.push(`${addr(`${prefix}0`).toUpperCase()},Dup,0`);
  return `${lines.join("\n")}\n`;
}

describe("imports: resume and idempotence", { timeout: 120_000 }, () => {
  it("shows progress chunk by chunk, and an interrupted import resumes without duplicating anything", async () => {
    const n = 4500; // three chunks of at most 2,000 rows
    const ctx = contextWithQueues(conn.db);
    const row = await createImport(ctx, {
      body: [bigCsv("res", n)],
      filename: "resume.csv",
      listIds: [],
      mode: "upsert",
      mapping: null,
      sendConfirmations: false,
      maxBytes: 10_000_000,
    });
    const id = row.id;
    expect(ctx.queues.imports.messages.map((m) => m.seq)).toEqual([0, 1, 2]);
    expect(row).toMatchObject({ status: "queued", total: n + 1, chunks: 3, processed: 0 });

    // The first chunk lands: progress is visible, then the "worker dies".
    const first = await applyImportChunk(conn.db, id, 0);
    expect(first).toMatchObject({ applied: true, processed: 2000, inserted: 1800, failed: 200 });
    expect(await getImport(conn.db, id)).toMatchObject({ status: "running", processed: 2000, total: n + 1 });
    // A redelivered message for the same chunk changes nothing.
    expect((await applyImportChunk(conn.db, id, 0)).applied).toBe(false);

    // Every message again, twice and concurrently, as an at-least-once queue may do.
    const again = await Promise.all([0, 1, 2, 0, 1, 2].map((seq) => applyImportChunk(conn.db, id, seq)));
    expect(again.filter((o) => o.applied)).toHaveLength(2);
    expect(again.filter((o) => o.finished)).toHaveLength(1);

    const done = await getImport(conn.db, id);
    const bad = Math.floor(n / 10);
    expect(done).toMatchObject({
      status: "done",
      processed: n + 1,
      inserted: n - bad,
      updated: 0,
      failed: bad + 1,
    });
    expect(done.finishedAt).toBeInstanceOf(Date);
    const [count] = await conn.db
      .select({ n: sql<number>`count(*)::int` })
      .from(subscribers)
      .where(sql`lower(${subscribers.email}) like ${`res%-${tag}@imp.example.com`}`);
    expect(count?.n).toBe(n - bad);
    const chunks = await conn.db.select().from(importChunks).where(eq(importChunks.importId, id));
    expect(chunks.every((c) => c.doneAt !== null && c.body === null)).toBe(true);
    const lastError = (await api<ImportView>("GET", `/api/v1/imports/${id}`, { token })).body.errors.at(-1);
    expect(lastError).toBeDefined();
  });

  it("resumes through the API: the queue applies only the chunks not yet done", async () => {
    const n = 4200;
    // Stored only: its queue messages are dropped here, as if the Worker had died right after.
    const row = await createImport(contextWithQueues(conn.db), {
      body: [bigCsv("api", n)],
      filename: null,
      listIds: [],
      mode: "upsert",
      mapping: null,
      sendConfirmations: false,
      maxBytes: 10_000_000,
    });
    const id = row.id;
    await applyImportChunk(conn.db, id, 1); // out of order, as parallel consumers may
    const resumed = await api<ImportView>("POST", `/api/v1/imports/${id}/resume`, { token });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: "running", processed: 2000 });
    const done = await waitDone(id);
    const bad = Math.floor(n / 10);
    expect(done).toMatchObject({ status: "done", processed: n + 1, inserted: n - bad, failed: bad + 1 });
    expect(done.errors.at(-1)?.message ?? "").not.toBe("");
    // Resuming a finished import queues nothing and changes nothing.
    expect((await api("POST", `/api/v1/imports/${id}/resume`, { token })).body).toMatchObject({
      status: "done",
      processed: n + 1,
    });
  });
});

describe("imports: suppressions", { timeout: 120_000 }, () => {
  it("erase then re-import of the same address stays suppressed", async () => {
    const email = addr("erased");
    await importAndWait(`email,name\n${email},Erased Person\n`);
    const before = await subscriberByEmail(email);
    if (!before) throw new Error("not imported");
    // What erasure leaves behind: the row gone, a hashed suppression kept.
    await conn.db.delete(subscribers).where(eq(subscribers.id, before.id));
    await suppressEmail(conn.db, email, "erased");
    const [{ n: suppressionsBefore } = { n: 0 }] = await conn.db
      .select({ n: sql<number>`count(*)::int` })
      .from(suppressions);

    const again = await importAndWait(`email,name\n${email.toUpperCase()},Back Again\n`);
    expect(again).toMatchObject({ status: "done", inserted: 1 });
    expect(await isSuppressed(conn.db, email)).toBe(true);
    expect(await isSuppressed(conn.db, email.toUpperCase())).toBe(true);
    const [{ n: suppressionsAfter } = { n: 0 }] = await conn.db
      .select({ n: sql<number>`count(*)::int` })
      .from(suppressions);
    expect(suppressionsAfter).toBe(suppressionsBefore);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMemberships, lists } from "../../schema/lists";
import { subscribers } from "../../schema/subscribers";
import { suppressions } from "../../schema/suppressions";
import { emailHash } from "../../workers/domain/audience/email";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { api, ownerLogin, stack } from "../support/api";

/** The fixtures' addresses are made unique per run: the suites share one database. */
const tag = Math.random().toString(36).slice(2, 7);
const fixture = (name: string) =>
  readFileSync(join(__dirname, "../fixtures/imports", name), "utf8").replace(
    /@presets\.example/gi,
    `@${tag}.presets.example`,
  );
const addr = (local: string) => `${local}@${tag}.presets.example`;

let conn: DbConnection;
let token: string;
let listId: string;

interface ImportView {
  id: string;
  status: string;
  preset: string | null;
  mapping: Record<string, string>;
  total: number;
  processed: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
  suppressed: number;
  errors: { row: number; message: string }[];
}

async function importFile(name: string, query: Record<string, string> = {}): Promise<ImportView> {
  const qs = new URLSearchParams({ listIds: listId, ...query }).toString();
  const res = await fetch(`${stack().baseUrl}/api/v1/imports?${qs}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: fixture(name),
  });
  const body = (await res.json()) as { id: string; error?: unknown };
  expect(res.status, JSON.stringify(body)).toBe(202);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const view = await api<ImportView>("GET", `/api/v1/imports/${body.id}`, { token });
    if (view.body.status === "done" || view.body.status === "failed") return view.body;
    if (Date.now() > deadline) throw new Error(`import still ${view.body.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function person(email: string) {
  const [row] = await conn.db
    .select()
    .from(subscribers)
    .where(sql`lower(${subscribers.email}) = lower(${email})`);
  if (!row) return null;
  const memberships = await conn.db
    .select({ status: listMemberships.status })
    .from(listMemberships)
    .where(sql`${listMemberships.subscriberId} = ${row.id} and ${listMemberships.listId} = ${listId}`);
  const [suppression] = await conn.db
    .select({ reason: suppressions.reason })
    .from(suppressions)
    .where(sql`${suppressions.emailHash} = ${await emailHash(email)}`);
  return { ...row, member: memberships[0]?.status ?? null, suppressed: suppression?.reason ?? null };
}

beforeAll(async () => {
  conn = openDb(stack().databaseUrl);
  token = (await ownerLogin()).accessToken;
  const [list] = await conn.db
    .insert(lists)
    .values({ name: `presets ${tag}`, optIn: "single" })
    .returning({ id: lists.id });
  listId = list?.id ?? "";
});

afterAll(async () => {
  await conn.close();
});

describe("Mailchimp exports", () => {
  it("maps the subscribed file by itself, first and last name joined", async () => {
    const done = await importFile("mailchimp-subscribed.csv");
    expect(done).toMatchObject({
      status: "done",
      preset: "mailchimp",
      total: 3,
      inserted: 3,
      suppressed: 0,
      failed: 0,
    });
    // toMatchObject: other suites on the shared stack make custom fields (timezone, plan) that a
    // file's matching columns map to as well.
    expect(done.mapping).toMatchObject({
      "Email Address": "email",
      "First Name": "name",
      "Last Name": "name",
    });
    expect(await person(addr("ann.archer"))).toMatchObject({
      name: "Ann Archer",
      status: "active",
      member: "confirmed",
      suppressed: null,
    });
    expect(await person(addr("ben.baker"))).toMatchObject({ name: "Ben", member: "confirmed" });
    expect(await person(addr("cleo.cole"))).toMatchObject({ name: "Cole" });
  });

  it("turns the unsubscribed file into unsubscribe suppressions, not members", async () => {
    const done = await importFile("mailchimp-unsubscribed.csv");
    expect(done).toMatchObject({
      status: "done",
      preset: "mailchimp_unsubscribed",
      total: 2,
      inserted: 0,
      suppressed: 2,
      failed: 0,
    });
    expect(await person(addr("dan.drake"))).toMatchObject({
      status: "unsubscribed",
      member: null,
      suppressed: "unsubscribe",
    });
    // Ben was imported active above: the unsubscribe wins, the suppression blocks every send.
    expect(await person(addr("ben.baker"))).toMatchObject({
      status: "unsubscribed",
      suppressed: "unsubscribe",
    });
  });

  it("turns the cleaned file into bounce suppressions", async () => {
    const done = await importFile("mailchimp-cleaned.csv");
    expect(done).toMatchObject({ preset: "mailchimp_cleaned", total: 1, suppressed: 1, inserted: 0 });
    expect(await person(addr("eve.evans"))).toMatchObject({
      status: "bounced",
      member: null,
      suppressed: "bounce",
    });
  });
});

describe("listmonk, Substack and Kit exports", () => {
  it("listmonk: blocklisted rows are unsubscribe suppressions", async () => {
    const done = await importFile("listmonk.csv");
    expect(done).toMatchObject({ preset: "listmonk", total: 3, inserted: 2, suppressed: 1, failed: 0 });
    expect(done.mapping).toMatchObject({ email: "email", name: "name", status: "status" });
    expect(await person(addr("lena.lind"))).toMatchObject({
      name: "Lena Lind",
      member: "confirmed",
      suppressed: null,
    });
    expect(await person(addr("mo.moss"))).toMatchObject({
      status: "unsubscribed",
      member: null,
      suppressed: "unsubscribe",
    });
  });

  it("Substack: email_disabled readers are suppressed, paying or not", async () => {
    const done = await importFile("substack.csv");
    expect(done).toMatchObject({ preset: "substack", total: 3, inserted: 2, suppressed: 1 });
    expect(done.mapping).toMatchObject({ email: "email", email_disabled: "unsubscribed" });
    expect(await person(addr("olga.ode"))).toMatchObject({ member: "confirmed", suppressed: null });
    expect(await person(addr("paul.park"))).toMatchObject({ member: "confirmed" });
    expect(await person(addr("quin.quay"))).toMatchObject({ member: null, suppressed: "unsubscribe" });
  });

  it("Kit: cancelled, bounced and complained states get their own reasons", async () => {
    const done = await importFile("kit.csv");
    expect(done).toMatchObject({ preset: "kit", total: 5, inserted: 2, suppressed: 3, failed: 0 });
    expect(done.mapping).toMatchObject({ first_name: "name", email_address: "email", state: "status" });
    expect(await person(addr("rae.reed"))).toMatchObject({
      name: "Rae",
      member: "confirmed",
      suppressed: null,
    });
    expect(await person(addr("sam.shaw"))).toMatchObject({
      status: "unsubscribed",
      member: null,
      suppressed: "unsubscribe",
    });
    expect(await person(addr("tess.tate"))).toMatchObject({ status: "bounced", suppressed: "bounce" });
    expect(await person(addr("uma.upton"))).toMatchObject({ status: "complained", suppressed: "complaint" });
    expect(await person(addr("vic.vale"))).toMatchObject({ member: "confirmed" });
  });

  it("an explicit mapping wins, while the file's standing rules still apply", async () => {
    const csv = `uuid,email,name,attributes,status\n1,wes.west-${tag}@x.example,Wes,{},blocklisted\n`;
    const res = await fetch(
      `${stack().baseUrl}/api/v1/imports?listIds=${listId}&mapping=${encodeURIComponent('{"email":"email"}')}`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
        body: csv,
      },
    );
    const body = (await res.json()) as { import: ImportView };
    expect(res.status).toBe(202);
    expect(body.import).toMatchObject({ preset: "listmonk", mapping: { email: "email" } });
  });

  it("a file of no known tool keeps the default mapping and no preset", async () => {
    const res = await fetch(`${stack().baseUrl}/api/v1/imports?listIds=${listId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
      body: `email,name\nxena-${tag}@x.example,Xena\n`,
    });
    const body = (await res.json()) as { import: ImportView };
    expect(body.import).toMatchObject({
      preset: null,
      mapping: { email: "email", name: "name" },
      suppressed: 0,
    });
  });
});

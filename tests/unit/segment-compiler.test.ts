import { asc, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events } from "../../schema/events";
import { listMemberships, lists } from "../../schema/lists";
import { fields, subscribers } from "../../schema/subscribers";
import { compileSegment, segmentPreview } from "../../workers/domain/audience/segments/compiler";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { AppError } from "../../workers/lib/errors";
import { createTestDatabase, type TestDatabase } from "../support/database";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const C1 = "0190f0a4-0000-7000-8000-000000000001";
const C2 = "0190f0a4-0000-7000-8000-000000000002";
const INJECTION = "x'); drop table subscribers;--";

let database: TestDatabase;
let conn: DbConnection;
let single: string;
let double: string;
const id: Record<string, string> = {};

/** Emails (their local part) of the subscribers a rule tree matches, sorted. */
async function matches(rules: unknown): Promise<string[]> {
  const where = await compileSegment(conn.db, rules);
  const rows = await conn.db
    .select({ email: subscribers.email })
    .from(subscribers)
    .where(where)
    .orderBy(asc(subscribers.email));
  return rows.map((r) => r.email.split("@")[0] ?? "");
}

/** The AppError a rule tree is refused with. */
async function refusal(rules: unknown): Promise<AppError> {
  try {
    await compileSegment(conn.db, rules);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("rules were accepted");
}

const messages = (err: AppError) => (err.details as { message: string }[]).map((d) => d.message);

beforeAll(async () => {
  database = await createTestDatabase();
  conn = openDb(database.url);
  const db = conn.db;
  await db.insert(fields).values([
    { key: "age", label: "Age", type: "number" },
    { key: "city", label: "City", type: "text" },
    { key: "nick", label: "Nick", type: "text" },
    { key: "plan", label: "Plan", type: "select", options: ["free", "pro"] },
    { key: "vip", label: "VIP", type: "boolean" },
    { key: "birthday", label: "Birthday", type: "date" },
    { key: "seen", label: "Last seen", type: "date" },
  ]);
  const made = await db
    .insert(subscribers)
    .values([
      {
        email: "ann@seg.test",
        status: "active",
        fields: {
          age: 35,
          city: "São Paulo",
          nick: `50%_off \\o/ "it's"`,
          plan: "pro",
          vip: true,
          birthday: "1990-05-01",
          seen: ago(2).toISOString(),
        },
      },
      {
        email: "bob@seg.test",
        status: "unsubscribed",
        fields: {
          age: 25,
          city: "Berlin",
          nick: "50 percent",
          plan: "free",
          vip: false,
          birthday: "1990-05-02",
        },
      },
      { email: "cat@seg.test", status: "bounced", fields: {}, createdAt: ago(100) },
      { email: "dan@seg.test", status: "active", fields: { city: INJECTION, nick: "a_b", age: 30.5 } },
    ])
    .returning({ id: subscribers.id, email: subscribers.email });
  for (const r of made) id[r.email.split("@")[0] ?? ""] = r.id;
  const [l1, l2] = await db
    .insert(lists)
    .values([
      { name: "Single", optIn: "single" },
      { name: "Double", optIn: "double" },
    ])
    .returning({ id: lists.id });
  single = l1?.id ?? "";
  double = l2?.id ?? "";
  await db.insert(listMemberships).values([
    { listId: single, subscriberId: id.ann ?? "", status: "confirmed", source: "api" },
    { listId: single, subscriberId: id.bob ?? "", status: "unsubscribed", source: "api" },
    { listId: single, subscriberId: id.dan ?? "", status: "unconfirmed", source: "api" },
    { listId: double, subscriberId: id.ann ?? "", status: "unconfirmed", source: "form" },
    { listId: double, subscriberId: id.bob ?? "", status: "confirmed", source: "form" },
  ]);
  const ev = (sub: string, kind: "open" | "click", campaignId: string, days: number, machine = false) => ({
    kind,
    campaignId,
    subscriberId: id[sub] ?? "",
    occurredAt: ago(days),
    machine,
    dedupeKey: `${sub}-${kind}-${campaignId}-${days}-${machine}`,
  });
  await db
    .insert(events)
    .values([
      ev("ann", "open", C1, 2),
      ev("bob", "open", C1, 1, true),
      ev("bob", "click", C2, 40),
      ev("dan", "open", C2, 60),
    ]);
}, 180_000);

afterAll(async () => {
  await conn?.close();
  await database?.stop();
});

describe("segment compiler: field conditions", () => {
  it("compares numbers by value", async () => {
    expect(await matches({ field: "age", op: "gt", value: 30 })).toEqual(["ann", "dan"]);
    expect(await matches({ field: "age", op: "gte", value: 35 })).toEqual(["ann"]);
    expect(await matches({ field: "age", op: "lt", value: 30.5 })).toEqual(["bob"]);
    expect(await matches({ field: "age", op: "lte", value: 30.5 })).toEqual(["bob", "dan"]);
    expect(await matches({ field: "age", op: "eq", value: 25 })).toEqual(["bob"]);
    expect(await matches({ field: "age", op: "neq", value: 25 })).toEqual(["ann", "cat", "dan"]);
  });

  it("matches text case-insensitively for contains and startsWith, exactly for eq", async () => {
    expect(await matches({ field: "city", op: "contains", value: "PAUL" })).toEqual(["ann"]);
    expect(await matches({ field: "city", op: "startsWith", value: "ber" })).toEqual(["bob"]);
    expect(await matches({ field: "city", op: "eq", value: "berlin" })).toEqual([]);
    expect(await matches({ field: "city", op: "eq", value: "Berlin" })).toEqual(["bob"]);
  });

  it("treats %, _, backslashes and quotes in values as plain characters", async () => {
    expect(await matches({ field: "nick", op: "contains", value: "%" })).toEqual(["ann"]);
    expect(await matches({ field: "nick", op: "contains", value: "_" })).toEqual(["ann", "dan"]);
    expect(await matches({ field: "nick", op: "startsWith", value: "50%" })).toEqual(["ann"]);
    expect(await matches({ field: "nick", op: "startsWith", value: "50_" })).toEqual([]);
    expect(await matches({ field: "nick", op: "contains", value: "\\o/" })).toEqual(["ann"]);
    expect(await matches({ field: "nick", op: "contains", value: `"it's"` })).toEqual(["ann"]);
    expect(await matches({ field: "nick", op: "contains", value: "'" })).toEqual(["ann"]);
  });

  it("matches an injection-looking value literally and leaves the database intact", async () => {
    expect(await matches({ field: "city", op: "eq", value: INJECTION })).toEqual(["dan"]);
    expect(await matches({ field: "city", op: "contains", value: "'); drop" })).toEqual(["dan"]);
    const [row] = await conn.db.select({ n: sql<number>`count(*)::int` }).from(subscribers);
    expect(row?.n).toBe(4);
  });

  it("sends field keys and values as bind parameters, never inside the SQL text", async () => {
    const where = await compileSegment(conn.db, {
      and: [
        { field: "city", op: "contains", value: INJECTION },
        { field: "age", op: "gt", value: 12345 },
        { field: "plan", op: "eq", value: "pro" },
      ],
    });
    const query = new PgDialect().sqlToQuery(where);
    expect(query.sql).not.toContain("drop table");
    expect(query.sql).not.toContain("city");
    expect(query.sql).not.toContain("12345");
    expect(query.sql).not.toContain("pro");
    expect(query.params).toEqual(
      expect.arrayContaining(["city", INJECTION, 12345, JSON.stringify({ plan: "pro" })]),
    );
  });

  it("handles select, boolean and isSet", async () => {
    expect(await matches({ field: "plan", op: "eq", value: "pro" })).toEqual(["ann"]);
    expect(await matches({ field: "plan", op: "neq", value: "pro" })).toEqual(["bob", "cat", "dan"]);
    expect(await matches({ field: "vip", op: "eq", value: false })).toEqual(["bob"]);
    expect(await matches({ field: "plan", op: "isSet" })).toEqual(["ann", "bob"]);
    expect(await matches({ field: "plan", op: "isSet", value: false })).toEqual(["cat", "dan"]);
  });

  it("compares dates by day and by time", async () => {
    expect(await matches({ field: "birthday", op: "before", value: "1990-05-02" })).toEqual(["ann"]);
    expect(await matches({ field: "birthday", op: "after", value: "1990-05-01" })).toEqual(["bob"]);
    expect(await matches({ field: "birthday", op: "eq", value: "1990-05-02" })).toEqual(["bob"]);
    expect(await matches({ field: "birthday", op: "after", value: "1990-05-01T12:00:00Z" })).toEqual(["bob"]);
    expect(await matches({ field: "seen", op: "withinDays", value: 7 })).toEqual(["ann"]);
    expect(await matches({ field: "seen", op: "withinDays", value: 1 })).toEqual([]);
  });
});

describe("segment compiler: lists, status, dates and engagement", () => {
  it("counts only confirmed members of double opt-in lists, and never unsubscribed ones", async () => {
    expect(await matches({ list: single })).toEqual(["ann", "dan"]);
    expect(await matches({ list: double })).toEqual(["bob"]);
  });

  it("filters by status and signup date", async () => {
    expect(await matches({ status: "active" })).toEqual(["ann", "dan"]);
    expect(await matches({ createdWithinDays: 30 })).toEqual(["ann", "bob", "dan"]);
  });

  it("counts human opens and clicks only, by campaign and time window", async () => {
    expect(await matches({ event: "opened", campaignId: "any" })).toEqual(["ann", "dan"]);
    expect(await matches({ event: "opened", campaignId: "any", withinDays: 30 })).toEqual(["ann"]);
    expect(await matches({ event: "opened", campaignId: C1 })).toEqual(["ann"]);
    expect(await matches({ event: "clicked", campaignId: C2 })).toEqual(["bob"]);
    expect(await matches({ event: "clicked", campaignId: "any", withinDays: 30 })).toEqual([]);
    // Bob's only open was a machine (privacy proxy) open.
    expect(await matches({ event: "opened", campaignId: "any", never: true })).toEqual(["bob", "cat"]);
  });

  it("combines and, or and not, with not as an exact complement", async () => {
    expect(
      await matches({
        and: [{ status: "active" }, { or: [{ field: "age", op: "gt", value: 31 }, { list: double }] }],
      }),
    ).toEqual(["ann"]);
    expect(await matches({ not: { field: "city", op: "contains", value: "a" } })).toEqual(["bob", "cat"]);
    expect(await matches({ not: { not: { status: "bounced" } } })).toEqual(["cat"]);
  });

  it("previews a count and the newest subscribers first", async () => {
    const preview = await segmentPreview(conn.db, { status: "active" }, 1);
    expect(preview.count).toBe(2);
    // UUIDv7 ids made in the same millisecond are not ordered, so compare with the larger id.
    const newest = [id.ann ?? "", id.dan ?? ""].sort().at(-1);
    expect(preview.sample.map((s) => s.id)).toEqual([newest]);
    expect((await segmentPreview(conn.db, { status: "active" })).sample).toHaveLength(2);
  });
});

describe("segment compiler: refusals name the node", () => {
  it("names an unknown field by its path", async () => {
    const err = await refusal({
      and: [{ status: "active" }, { or: [{ field: "agee", op: "gt", value: 1 }] }],
    });
    expect(err.code).toBe("validation_failed");
    expect(err.status).toBe(400);
    expect(err.message).toContain('rules.and[1].or[0]: unknown field "agee"');
    expect(err.details).toEqual([
      { path: ["rules", "and", 1, "or", 0], message: 'rules.and[1].or[0]: unknown field "agee"' },
    ]);
  });

  it("refuses an injection attempt in a field key as an unknown field", async () => {
    const key = "a'); drop table subscribers;--";
    const err = await refusal({ field: key, op: "eq", value: 1 });
    expect(messages(err)).toEqual([`rules: unknown field ${JSON.stringify(key)}`]);
    const other = await refusal({ not: { field: 'age" or 1=1 --', op: "isSet" } });
    expect(messages(other)[0]).toMatch(/^rules\.not: unknown field/);
  });

  it("checks operators and values against the field's type", async () => {
    expect(messages(await refusal({ field: "age", op: "contains", value: "3" }))[0]).toMatch(
      /^rules\.op: "contains" does not apply to the number field "age"/,
    );
    expect(messages(await refusal({ field: "age", op: "gt", value: "thirty" }))).toEqual([
      "rules.value: age: must be a number",
    ]);
    expect(messages(await refusal({ field: "plan", op: "eq", value: "gold" }))[0]).toMatch(
      /^rules\.value: plan: must be one of: free, pro/,
    );
    expect(messages(await refusal({ field: "vip", op: "eq", value: "yes" }))[0]).toMatch(/^rules\.value:/);
    expect(messages(await refusal({ field: "birthday", op: "before", value: "1990-02-30" }))[0]).toMatch(
      /^rules\.value: birthday: is not a real date/,
    );
    expect(messages(await refusal({ field: "city", op: "like", value: "x" }))[0]).toMatch(
      /^rules\.op: unknown operator/,
    );
    expect(messages(await refusal({ field: "city", op: "contains", value: "" }))[0]).toMatch(
      /^rules\.value:/,
    );
    expect(messages(await refusal({ field: "seen", op: "withinDays", value: 0 }))[0]).toMatch(
      /^rules\.value:/,
    );
  });

  it("reports every bad node at once, with its path", async () => {
    const err = await refusal({
      or: [
        { field: "age", op: "gt", value: 1 },
        { list: "not-a-uuid" },
        { status: "sleeping" },
        { event: "bounced", campaignId: "any" },
        { event: "opened", campaignId: "x" },
        { event: "opened", campaignId: "any", never: "yes" },
        { createdWithinDays: -1 },
        { and: [] },
        { field: "age", op: "gt", value: 1, extra: 1 },
        { status: "active", list: single },
        "nope",
      ],
    });
    expect(messages(err).map((m) => m.split(":")[0])).toEqual([
      "rules.or[1].list",
      "rules.or[2].status",
      "rules.or[3].event",
      "rules.or[4].campaignId",
      "rules.or[5].never",
      "rules.or[6].createdWithinDays",
      "rules.or[7].and",
      "rules.or[8]",
      "rules.or[9]",
      "rules.or[10]",
    ]);
  });

  it("refuses a list that does not exist", async () => {
    const missing = "0190f0a4-0000-7000-8000-00000000dead";
    expect(messages(await refusal({ and: [{ list: single }, { list: missing }] }))).toEqual([
      `rules.and[1].list: unknown list "${missing}"`,
    ]);
  });

  it("limits depth and size", async () => {
    let deep: unknown = { status: "active" };
    for (let i = 0; i < 10; i++) deep = { not: deep };
    expect(messages(await refusal(deep))[0]).toMatch(/nested too deeply/);
    const wide = { or: Array.from({ length: 250 }, () => ({ status: "active" })) };
    expect(messages(await refusal(wide))).toEqual(["rules: too many rules (at most 200)"]);
    expect(messages(await refusal(null))).toEqual(["rules: must be an object (a group or a condition)"]);
    expect(messages(await refusal({}))[0]).toMatch(/^rules: must have one of/);
  });
});

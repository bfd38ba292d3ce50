import { inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events } from "../../schema/events";
import { fields, subscribers } from "../../schema/subscribers";
import { compileSegment } from "../../workers/domain/audience/segments/compiler";
import { createSegment } from "../../workers/domain/audience/segments/segments";
import { countAudience } from "../../workers/domain/campaigns/audience";
import { actor, newTag, seedList, seedSubscribers, useDomainDb } from "../support/domain";

/**
 * Segment rules compiled and run on the shared database against five people of the suite's own:
 * who matches each operator of each field type, lists, status, signup date, engagement (human
 * opens and clicks only) and groups. Field keys carry the suite's tag: definitions are global.
 */

const { db } = useDomainDb();
const tag = newTag("seg");
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const C1 = crypto.randomUUID();
const C2 = crypto.randomUUID();
const key = {
  age: `${tag}_age`,
  city: `${tag}_city`,
  plan: `${tag}_plan`,
  vip: `${tag}_vip`,
  joined: `${tag}_joined`,
  seen: `${tag}_seen`,
};
let single = "";
let double = "";
const ids: Record<string, string> = {};

beforeAll(async () => {
  await db.insert(fields).values([
    { key: key.age, label: "Age", type: "number" },
    { key: key.city, label: "City", type: "text" },
    { key: key.plan, label: "Plan", type: "select", options: ["free", "pro"] },
    { key: key.vip, label: "VIP", type: "boolean" },
    { key: key.joined, label: "Joined", type: "date" },
    { key: key.seen, label: "Last seen", type: "date" },
  ]);
  single = await seedList(db, `segments single ${tag}`, "single");
  double = await seedList(db, `segments double ${tag}`, "double");
  const people = await seedSubscribers(db, tag, {
    ann: {
      fields: {
        [key.age]: 35,
        [key.city]: "São Paulo",
        [key.plan]: "pro",
        [key.vip]: true,
        [key.joined]: "2024-03-10",
        [key.seen]: ago(2).toISOString(),
      },
      lists: { [single]: "confirmed", [double]: "unconfirmed" },
    },
    bob: {
      status: "unsubscribed",
      fields: {
        [key.age]: 25,
        [key.city]: "Berlin",
        [key.plan]: "free",
        [key.vip]: false,
        [key.joined]: "2024-03-11",
      },
      lists: { [single]: "unsubscribed", [double]: "confirmed" },
    },
    cat: { status: "bounced", createdDaysAgo: 100 },
    dan: {
      fields: {
        [key.age]: 30.5,
        [key.city]: "berlin-mitte",
        [key.joined]: "2024-03-10T15:00:00.000Z",
        // In the future: not "within" any number of days.
        [key.seen]: new Date(Date.now() + 5 * DAY).toISOString(),
      },
      lists: { [single]: "unconfirmed" },
    },
    eve: {
      status: "complained",
      createdDaysAgo: 10,
      fields: { [key.plan]: "pro", [key.vip]: false, [key.city]: "" },
      lists: { [double]: "confirmed" },
    },
  });
  for (const [name, person] of Object.entries(people)) ids[name] = person.id;
  const event = (who: string, kind: "open" | "click", campaignId: string, days: number, machine = false) => ({
    kind,
    campaignId,
    subscriberId: ids[who] ?? "",
    occurredAt: ago(days),
    machine,
    dedupeKey: `${tag}-${who}-${kind}-${campaignId}-${days}`,
  });
  await db
    .insert(events)
    .values([
      event("ann", "open", C1, 2),
      event("ann", "click", C1, 2),
      event("bob", "open", C1, 1, true),
      event("bob", "click", C2, 40),
      event("dan", "open", C2, 60),
      event("eve", "click", C1, 5, true),
    ]);
});

/** Which of the suite's five people a rule tree matches, by name, sorted. */
async function matches(rules: unknown): Promise<string[]> {
  const where = await compileSegment(db, rules);
  const rows = await db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(sql`${where} and ${inArray(subscribers.id, Object.values(ids))}`);
  const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
  return rows.map((r) => names[r.id] ?? r.id).sort();
}

const field = (name: keyof typeof key, op: string, value?: unknown) => ({
  field: key[name],
  op,
  ...(value === undefined ? {} : { value }),
});

describe("field conditions", () => {
  it("number: compares by value; neq and not-set include those without the field", async () => {
    expect(await matches(field("age", "gt", 30))).toEqual(["ann", "dan"]);
    expect(await matches(field("age", "gte", 35))).toEqual(["ann"]);
    expect(await matches(field("age", "lt", 30.5))).toEqual(["bob"]);
    expect(await matches(field("age", "lte", 30.5))).toEqual(["bob", "dan"]);
    expect(await matches(field("age", "eq", 25))).toEqual(["bob"]);
    expect(await matches(field("age", "neq", 25))).toEqual(["ann", "cat", "dan", "eve"]);
    expect(await matches(field("age", "isSet"))).toEqual(["ann", "bob", "dan"]);
    expect(await matches(field("age", "isSet", false))).toEqual(["cat", "eve"]);
  });

  it("text: eq exactly, contains and startsWith in any case; an empty value is not set", async () => {
    expect(await matches(field("city", "eq", "Berlin"))).toEqual(["bob"]);
    expect(await matches(field("city", "eq", "berlin"))).toEqual([]);
    expect(await matches(field("city", "neq", "Berlin"))).toEqual(["ann", "cat", "dan", "eve"]);
    expect(await matches(field("city", "contains", "BERLIN"))).toEqual(["bob", "dan"]);
    expect(await matches(field("city", "startsWith", "são"))).toEqual(["ann"]);
    expect(await matches(field("city", "startsWith", "berlin-"))).toEqual(["dan"]);
    expect(await matches(field("city", "isSet"))).toEqual(["ann", "bob", "dan"]);
    expect(await matches(field("city", "isSet", false))).toEqual(["cat", "eve"]);
  });

  it("select and boolean: eq, neq and isSet", async () => {
    expect(await matches(field("plan", "eq", "pro"))).toEqual(["ann", "eve"]);
    expect(await matches(field("plan", "neq", "pro"))).toEqual(["bob", "cat", "dan"]);
    expect(await matches(field("plan", "isSet"))).toEqual(["ann", "bob", "eve"]);
    expect(await matches(field("vip", "eq", true))).toEqual(["ann"]);
    expect(await matches(field("vip", "eq", false))).toEqual(["bob", "eve"]);
    expect(await matches(field("vip", "neq", true))).toEqual(["bob", "cat", "dan", "eve"]);
    expect(await matches(field("vip", "isSet", false))).toEqual(["cat", "dan"]);
  });

  it("date: a day covers its times; before, after (a day or a time) and withinDays", async () => {
    expect(await matches(field("joined", "eq", "2024-03-10"))).toEqual(["ann", "dan"]);
    expect(await matches(field("joined", "neq", "2024-03-10"))).toEqual(["bob", "cat", "eve"]);
    expect(await matches(field("joined", "before", "2024-03-11"))).toEqual(["ann", "dan"]);
    expect(await matches(field("joined", "after", "2024-03-10"))).toEqual(["bob"]);
    expect(await matches(field("joined", "after", "2024-03-10T12:00:00Z"))).toEqual(["bob", "dan"]);
    expect(await matches(field("joined", "isSet"))).toEqual(["ann", "bob", "dan"]);
    expect(await matches(field("seen", "withinDays", 7))).toEqual(["ann"]);
    expect(await matches(field("seen", "withinDays", 1))).toEqual([]);
  });
});

describe("lists, status and signup date", () => {
  it("a list: any member not unsubscribed of a single opt-in list, confirmed ones of a double", async () => {
    expect(await matches({ list: single })).toEqual(["ann", "dan"]);
    expect(await matches({ list: double })).toEqual(["bob", "eve"]);
  });

  it("status and createdWithinDays", async () => {
    expect(await matches({ status: "active" })).toEqual(["ann", "dan"]);
    expect(await matches({ status: "unsubscribed" })).toEqual(["bob"]);
    expect(await matches({ status: "complained" })).toEqual(["eve"]);
    expect(await matches({ createdWithinDays: 30 })).toEqual(["ann", "bob", "dan", "eve"]);
    expect(await matches({ createdWithinDays: 5 })).toEqual(["ann", "bob", "dan"]);
  });
});

describe("engagement", () => {
  it("opened: a campaign or any, within days or never; machine opens do not count", async () => {
    expect(await matches({ event: "opened", campaignId: "any" })).toEqual(["ann", "dan"]);
    expect(await matches({ event: "opened", campaignId: C1 })).toEqual(["ann"]);
    expect(await matches({ event: "opened", campaignId: C2 })).toEqual(["dan"]);
    expect(await matches({ event: "opened", campaignId: "any", withinDays: 30 })).toEqual(["ann"]);
    expect(await matches({ event: "opened", campaignId: "any", never: true })).toEqual(["bob", "cat", "eve"]);
  });

  it("clicked: a campaign or any, within days or never; scanner clicks do not count", async () => {
    expect(await matches({ event: "clicked", campaignId: "any" })).toEqual(["ann", "bob"]);
    expect(await matches({ event: "clicked", campaignId: C2 })).toEqual(["bob"]);
    expect(await matches({ event: "clicked", campaignId: "any", withinDays: 30 })).toEqual(["ann"]);
    expect(await matches({ event: "clicked", campaignId: C1, never: true })).toEqual([
      "bob",
      "cat",
      "dan",
      "eve",
    ]);
  });
});

describe("groups", () => {
  it("and, or and not, nested; not is the exact complement", async () => {
    expect(
      await matches({ and: [{ status: "active" }, { or: [field("age", "gt", 31), { list: double }] }] }),
    ).toEqual(["ann"]);
    expect(await matches({ or: [{ list: double }, field("city", "contains", "berlin")] })).toEqual([
      "bob",
      "dan",
      "eve",
    ]);
    expect(await matches({ not: field("city", "contains", "a") })).toEqual(["bob", "cat", "dan", "eve"]);
    expect(await matches({ not: { and: [{ list: single }, { status: "active" }] } })).toEqual([
      "bob",
      "cat",
      "eve",
    ]);
    expect(
      await matches({
        and: [{ event: "opened", campaignId: "any" }, { not: { event: "clicked", campaignId: "any" } }],
      }),
    ).toEqual(["dan"]);
  });

  it("a saved segment as a campaign's audience keeps only its active, unsuppressed people", async () => {
    const rules = { or: [{ list: single }, { list: double }] };
    expect(await matches(rules)).toEqual(["ann", "bob", "dan", "eve"]);
    const segment = await createSegment({ db, actor }, { name: `segments ${tag}`, rules });
    expect(await countAudience(db, { listIds: [], segmentId: segment.id })).toBe(2);
  });
});

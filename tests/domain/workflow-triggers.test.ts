import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CreateWorkflow } from "../../workers/contract/workflows";
import { advanceRuns } from "../../workers/domain/workflows/engine";
import { activateWorkflow } from "../../workers/domain/workflows/lifecycle";
import {
  convertSegmentGoals,
  enterAnniversaries,
  enterListJoins,
  enterSegmentEntries,
} from "../../workers/domain/workflows/triggers";
import { createWorkflow } from "../../workers/domain/workflows/workflows";
import { queryRows } from "../../workers/lib/db";
import {
  contextWithQueues,
  newTag,
  seedList,
  seedSubscribers,
  seedTemplate,
  useDomainDb,
} from "../support/domain";

/**
 * Triggers the cron checks (list joins, segment entries, anniversaries), waits computed in SQL in
 * the subscriber's time zone, splits, list updates, and leaving by the trigger list.
 */

const { db } = useDomainDb();
const ctx = contextWithQueues(db);
const tag = newTag("wft");
let templateId = "";

beforeAll(async () => {
  templateId = await seedTemplate(db, `workflow triggers ${tag}`);
  await db.execute(sql`insert into fields (id, key, label, type) values
    (gen_random_uuid(), 'birthday', 'Birthday', 'date'), (gen_random_uuid(), 'timezone', 'Time zone', 'text'),
    (gen_random_uuid(), 'plan', 'Plan', 'text')
    on conflict do nothing`);
});

let seq = 0;
async function active(def: Omit<CreateWorkflow, "name">) {
  const wf = await createWorkflow(ctx, { name: `wft ${tag} ${seq++}`, ...def });
  await activateWorkflow(ctx, wf.id);
  return wf.id;
}

const runs = (wf: string) =>
  queryRows<{
    id: string;
    subscriber_id: string;
    status: string;
    current_node: string;
    wake_at: string | null;
    exit_reason: string | null;
  }>(
    db,
    sql`select id, subscriber_id, status, current_node, wake_at, exit_reason from workflow_instances where workflow_id = ${wf}::uuid`,
  );
const advance = async (wf: string) =>
  advanceRuns(
    ctx,
    (await runs(wf)).map((r) => r.id),
  );

describe("list joins", () => {
  it("enters who joined since the last look: confirmed members only, imports only when asked, once", async () => {
    const single = await seedList(db, `joins ${tag}`);
    const wf = await active({
      trigger: { type: "list_joined", listId: single },
      nodes: [{ id: "w", type: "wait", seconds: 3600 }],
      edges: [],
    });
    const people = await seedSubscribers(db, `${tag}j`, {
      ann: { lists: { [single]: "confirmed" } },
      bob: { lists: { [single]: "unconfirmed" } },
      cat: { lists: { [single]: "confirmed" } },
    });
    await db.execute(
      sql`update list_memberships set source = 'import' where subscriber_id = ${people.cat.id}::uuid`,
    );
    await enterListJoins(ctx);
    await enterListJoins(ctx);
    expect((await runs(wf)).map((r) => r.subscriber_id)).toEqual([people.ann.id]);
    // Bob confirms (double opt-in), Cat's import asked for workflows: both enter on the next look.
    await db.execute(
      sql`update list_memberships set status = 'confirmed', confirmed_at = now() where subscriber_id = ${people.bob.id}::uuid`,
    );
    await db.execute(
      sql`update list_memberships set trigger_workflows = true where subscriber_id = ${people.cat.id}::uuid`,
    );
    await enterListJoins(ctx);
    expect((await runs(wf)).map((r) => r.subscriber_id).sort()).toEqual(
      [people.ann.id, people.bob.id, people.cat.id].sort(),
    );
  });

  it("unsubscribing from the trigger list ends the run at its next step", async () => {
    const listId = await seedList(db, `leave ${tag}`);
    const { dan } = await seedSubscribers(db, `${tag}u`, { dan: { lists: { [listId]: "confirmed" } } });
    const wf = await active({
      trigger: { type: "list_joined", listId, existing: true },
      nodes: [
        { id: "w", type: "wait", seconds: 3600 },
        { id: "s", type: "send", templateId },
      ],
      edges: [{ from: "w", to: "s" }],
    });
    await advance(wf);
    await db.execute(
      sql`update list_memberships set status = 'unsubscribed' where subscriber_id = ${dan.id}::uuid`,
    );
    await db.execute(sql`update workflow_instances set wake_at = now() where workflow_id = ${wf}::uuid`);
    await advance(wf);
    expect(await runs(wf)).toMatchObject([{ status: "exited", exit_reason: "unsubscribed" }]);
  });

  it("deleting a subscriber deletes their runs", async () => {
    const listId = await seedList(db, `delete ${tag}`);
    const { eve } = await seedSubscribers(db, `${tag}d`, { eve: { lists: { [listId]: "confirmed" } } });
    const wf = await active({
      trigger: { type: "list_joined", listId, existing: true },
      nodes: [{ id: "w", type: "wait", seconds: 60 }],
      edges: [],
    });
    expect((await runs(wf)).length).toBe(1);
    await db.execute(sql`delete from subscribers where id = ${eve.id}::uuid`);
    expect(await runs(wf)).toEqual([]);
  });
});

describe("segment entries", () => {
  it("enters who newly matches, once per arrival, recording the look", async () => {
    const [segment] = await queryRows<{ id: string }>(
      db,
      sql`insert into segments (id, name, rules) values (gen_random_uuid(), ${`pro ${tag}`}, ${JSON.stringify({ field: "plan", op: "eq", value: `pro-${tag}` })}::jsonb) returning id`,
    );
    const people = await seedSubscribers(db, `${tag}s`, { ann: { fields: { plan: `pro-${tag}` } }, bob: {} });
    const wf = await active({
      trigger: { type: "segment_entered", segmentId: segment?.id ?? "" },
      nodes: [{ id: "w", type: "wait", seconds: 60 }],
      edges: [],
    });
    // Ann matched before activation (existing is off): she is not an arrival.
    await enterSegmentEntries(ctx);
    expect(await runs(wf)).toEqual([]);
    await db.execute(
      sql`update subscribers set fields = fields || ${JSON.stringify({ plan: `pro-${tag}` })}::jsonb where id = ${people.bob.id}::uuid`,
    );
    await enterSegmentEntries(ctx);
    await enterSegmentEntries(ctx);
    expect((await runs(wf)).map((r) => r.subscriber_id)).toEqual([people.bob.id]);
    const [checked] = await queryRows<{ checked_at: string | null }>(
      db,
      sql`select checked_at from workflows where id = ${wf}::uuid`,
    );
    expect(checked?.checked_at).not.toBeNull();
  });
});

describe("goals", () => {
  it("a waiting run converts when its subscriber meets the segment goal, without waiting to wake", async () => {
    const listId = await seedList(db, `goal ${tag}`);
    const { fay } = await seedSubscribers(db, `${tag}o`, { fay: { lists: { [listId]: "confirmed" } } });
    const wf = await active({
      trigger: { type: "list_joined", listId, existing: true },
      goal: { field: "plan", op: "eq", value: `paid-${tag}` },
      nodes: [{ id: "w", type: "wait", seconds: 86400 }],
      edges: [],
    });
    await advance(wf);
    expect(await runs(wf)).toMatchObject([{ status: "waiting" }]);
    await db.execute(
      sql`update subscribers set fields = fields || ${JSON.stringify({ plan: `paid-${tag}` })}::jsonb where id = ${fay.id}::uuid`,
    );
    expect(await convertSegmentGoals(ctx)).toBeGreaterThanOrEqual(1);
    expect(await runs(wf)).toMatchObject([{ status: "converted", exit_reason: "goal" }]);
  });
});

describe("time", () => {
  it("an anniversary enters on its day once local time is past the hour, in the subscriber's zone", async () => {
    // Today in Pacific/Kiritimati (UTC+14) and in Pacific/Pago_Pago (UTC-11) are different dates
    // for most of the day; each subscriber's birthday is "today" in their own zone.
    const [days] = await queryRows<{ kiri: string; pago: string }>(
      db,
      sql`select to_char(now() at time zone 'Pacific/Kiritimati', '1990-MM-DD') as kiri,
        to_char(now() at time zone 'Pacific/Pago_Pago', '1990-MM-DD') as pago`,
    );
    const people = await seedSubscribers(db, `${tag}b`, {
      kiri: { fields: { birthday: days?.kiri, timezone: "Pacific/Kiritimati" } },
      pago: { fields: { birthday: days?.pago, timezone: "Pacific/Pago_Pago" } },
      wrong: { fields: { birthday: days?.kiri, timezone: "Pacific/Pago_Pago" } },
      bad: { fields: { birthday: "not a date", timezone: "Mars/Olympus" } },
    });
    const wf = await active({
      trigger: { type: "date_field", field: "birthday", time: "00:00" },
      reentry: "always",
      nodes: [{ id: "w", type: "wait", seconds: 60 }],
      edges: [],
    });
    await enterAnniversaries(ctx);
    await enterAnniversaries(ctx);
    const entered = (await runs(wf)).map((r) => r.subscriber_id);
    expect(entered).toContain(people.kiri.id);
    expect(entered).toContain(people.pago.id);
    expect(entered).not.toContain(people.bad.id);
    if (days?.kiri !== days?.pago) expect(entered).not.toContain(people.wrong.id);
    expect(entered.length).toBe(new Set(entered).size);
  });

  it("waits until a time of day on chosen weekdays in the subscriber's zone, or until a date field", async () => {
    const listId = await seedList(db, `waits ${tag}`);
    const people = await seedSubscribers(db, `${tag}w`, {
      tokyo: { fields: { timezone: "Asia/Tokyo", birthday: "2031-05-04" }, lists: { [listId]: "confirmed" } },
      nozone: { fields: { timezone: "Nowhere/Land", birthday: "oops" }, lists: { [listId]: "confirmed" } },
    });
    const wf = await active({
      trigger: { type: "list_joined", listId, existing: true },
      nodes: [
        { id: "monday9", type: "wait", until: { time: "09:00", weekdays: [1] } },
        { id: "field", type: "wait", untilField: "birthday", offsetDays: 1 },
      ],
      edges: [{ from: "monday9", to: "field" }],
    });
    await advance(wf);
    const [local] = await queryRows<{ tokyo: string; utc: string; dow_t: number; dow_u: number }>(
      db,
      sql`select to_char(i.wake_at at time zone 'Asia/Tokyo', 'HH24:MI') as tokyo,
          to_char(j.wake_at at time zone 'UTC', 'HH24:MI') as utc,
          extract(isodow from i.wake_at at time zone 'Asia/Tokyo')::int as dow_t,
          extract(isodow from j.wake_at at time zone 'UTC')::int as dow_u
        from workflow_instances i, workflow_instances j
        where i.workflow_id = ${wf}::uuid and j.workflow_id = ${wf}::uuid
          and i.subscriber_id = ${people.tokyo.id}::uuid and j.subscriber_id = ${people.nozone.id}::uuid`,
    );
    // An unknown zone falls back to the organisation's (UTC by default).
    expect(local).toEqual({ tokyo: "09:00", utc: "09:00", dow_t: 1, dow_u: 1 });
    await db.execute(
      sql`update workflow_instances set wake_at = now() - interval '1 second' where workflow_id = ${wf}::uuid`,
    );
    await advance(wf);
    const after = await queryRows<{ subscriber_id: string; status: string; local: string | null }>(
      db,
      sql`select subscriber_id, status, to_char(wake_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') as local
        from workflow_instances where workflow_id = ${wf}::uuid`,
    );
    const tokyo = after.find((r) => r.subscriber_id === people.tokyo.id);
    expect(tokyo).toMatchObject({ status: "waiting", local: "2031-05-05 00:00" });
    // A malformed date passes at once: the run ends instead of waiting forever.
    expect(after.find((r) => r.subscriber_id === people.nozone.id)?.status).toBe("completed");
  });
});

describe("split and lists", () => {
  it("splits by weight, the same branch on a retry; adds to lists without re-subscribing the unsubscribed", async () => {
    const source = await seedList(db, `split src ${tag}`);
    const target = await seedList(db, `split dst ${tag}`);
    await db.execute(sql`
      with subs as (insert into subscribers (id, email) select gen_random_uuid(), ${tag} || '-sp-' || i || '@split.test'
        from generate_series(1, 400) i returning id)
      insert into list_memberships (list_id, subscriber_id, status, source) select ${source}::uuid, id, 'confirmed', 'admin' from subs`);
    const { gone } = await seedSubscribers(db, `${tag}g`, {
      gone: { lists: { [source]: "confirmed", [target]: "unsubscribed" } },
    });
    const wf = await active({
      trigger: { type: "list_joined", listId: source, existing: true },
      nodes: [
        { id: "ab", type: "split", weights: [75, 25] },
        { id: "big", type: "update", addLists: [target] },
        { id: "small", type: "exit" },
      ],
      edges: [
        { from: "ab", to: "big", branch: "0" },
        { from: "ab", to: "small", branch: "1" },
      ],
    });
    await advance(wf);
    const ended = await queryRows<{ current_node: string; n: number }>(
      db,
      sql`select current_node, count(*)::int as n from workflow_instances where workflow_id = ${wf}::uuid group by 1`,
    );
    const big = ended.find((r) => r.current_node === "big")?.n ?? 0;
    expect(big + (ended.find((r) => r.current_node === "small")?.n ?? 0)).toBe(401);
    expect(big).toBeGreaterThan(250);
    expect(big).toBeLessThan(350);
    const [members] = await queryRows<{ confirmed: number; unsub: number }>(
      db,
      sql`select count(*) filter (where status = 'confirmed')::int as confirmed, count(*) filter (where status = 'unsubscribed')::int as unsub
        from list_memberships where list_id = ${target}::uuid`,
    );
    const goneWentBig = (await runs(wf)).find((r) => r.subscriber_id === gone.id)?.current_node === "big";
    expect(members).toEqual({ confirmed: goneWentBig ? big - 1 : big, unsub: 1 });
  });
});

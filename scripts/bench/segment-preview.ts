import pg from "pg";
import { segmentCount, segmentPreview } from "../../workers/domain/audience/segments/compiler";
import { openDb } from "../../workers/lib/db";
import { applyMigrations } from "../lib/migrate";
import { freePort } from "../lib/net";
import { startPglite } from "../lib/pglite";
import { type Bench, figure } from "./harness";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1_000_000);
const RUNS = 5;

/** Two field conditions and one engagement condition, as in the Audience issue's target. */
const RULES = {
  and: [
    { field: "age", op: "gte", value: 30 },
    { field: "plan", op: "eq", value: "pro" },
    { event: "opened", campaignId: "any", withinDays: 30 },
  ],
};

/** The same question written by hand, as a person would for this schema. */
const HAND_WRITTEN = `
  select count(*)::int as n from subscribers s
  where (s.fields->>'age')::numeric >= 30
    and s.fields @> '{"plan":"pro"}'
    and exists (select 1 from events e where e.subscriber_id = s.id and e.kind = 'open'
                and not e.machine and e.occurred_at >= now() - interval '30 days')`;

interface Scratch {
  url: string;
  label: string;
  stop(): Promise<void>;
}

/** A scratch database on the machine's Postgres (dropped after), or else in-memory PGlite. */
async function scratchDatabase(): Promise<Scratch> {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!server) {
    const pglite = await startPglite({ dir: "memory://", port: await freePort() });
    return { url: pglite.url, label: "PGlite (in-memory)", stop: pglite.stop };
  }
  const name = `edgepost_bench_${process.pid}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    try {
      return await c.query(q);
    } finally {
      await c.end();
    }
  };
  const version = (await admin("show server_version")).rows[0]?.server_version ?? "?";
  await admin(`drop database if exists "${name}"`);
  await admin(`create database "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    label: `Postgres ${version}`,
    stop: async () => {
      await admin(`drop database if exists "${name}" with (force)`);
    },
  };
}

/** 1M subscribers with three fields; human and machine opens for about a tenth of them. */
async function seed(client: pg.Client): Promise<void> {
  await client.query(`insert into fields (id, key, label, type, options) values
    (gen_random_uuid(), 'age', 'Age', 'number', null),
    (gen_random_uuid(), 'plan', 'Plan', 'select', '["free","pro","team"]'),
    (gen_random_uuid(), 'city', 'City', 'text', null)`);
  await client.query(
    `insert into subscribers (id, email, name, status, fields, created_at, updated_at)
     select gen_random_uuid(), 'user' || g || '@bench.test', 'User ' || g,
            (case when g % 20 = 0 then 'unsubscribed' else 'active' end)::subscriber_status,
            jsonb_build_object('age', 18 + g % 60, 'plan', (array['free','pro','team'])[1 + g % 3],
                               'city', 'City ' || (g % 500)),
            now() - (g % 1000) * interval '1 hour', now()
     from generate_series(1, $1::int) g`,
    [SUBSCRIBERS],
  );
  // Three opens each for every tenth subscriber over 90 days, a fifth of them machine opens.
  await client.query(
    `insert into events (kind, campaign_id, subscriber_id, machine, occurred_at, dedupe_key)
     select 'open', ('0190f0a4-0000-7000-8000-00000000000' || (k % 3))::uuid, s.id, (s.rn + k) % 5 = 0,
            now() - ((s.rn * 7 + k * 13) % 90) * interval '1 day', 'bench-' || s.rn || '-' || k
     from (select id, row_number() over () as rn from subscribers) s, generate_series(1, 3) k
     where s.rn % 10 = 0`,
  );
  await client.query("analyze");
}

async function median(op: () => Promise<unknown>): Promise<number> {
  await op();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await op();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/**
 * Segment preview on 1,000,000 subscribers: `segmentCount` (load field definitions, validate,
 * compile, count) through the domain function, beside the same query written by hand, same run.
 */
export const segmentPreviewBench: Bench = async () => {
  const db = await scratchDatabase();
  const conn = openDb(db.url);
  const client = new pg.Client({ connectionString: db.url });
  client.on("error", () => undefined);
  try {
    await applyMigrations(db.url);
    await client.connect();
    const t0 = performance.now();
    await seed(client);
    console.error(
      `segment-preview: ${db.label}, seeded ${SUBSCRIBERS} subscribers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const ours = await segmentCount(conn.db, RULES);
    const theirs = (await client.query<{ n: number }>(HAND_WRITTEN)).rows[0]?.n;
    if (ours !== theirs)
      throw new Error(`segment count ${ours} differs from the hand-written query's ${theirs}`);
    console.error(`segment-preview: both count ${ours} of ${SUBSCRIBERS}`);
    const hand = await median(() => client.query(HAND_WRITTEN));
    const count = await median(() => segmentCount(conn.db, RULES));
    const preview = await median(() => segmentPreview(conn.db, RULES, 10));
    const base = `the same count hand-written in SQL (${db.label}, ${SUBSCRIBERS} subscribers)`;
    return [
      figure("segment-preview-count-ms", count, "ms (lower is better)", base, hand),
      figure("segment-preview-count-and-sample-ms", preview, "ms (lower is better)", base, hand),
    ];
  } finally {
    await client.end().catch(() => undefined);
    await conn.close();
    await db.stop();
  }
};

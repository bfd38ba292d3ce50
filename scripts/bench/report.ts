import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { applyMigrations } from "../lib/migrate";
import { generateSecrets } from "../lib/secrets";
import { startWorker } from "../lib/worker";
import { type Bench, figure } from "./harness";

/**
 * The campaign report API at scale: 1,000,000 subscribers, one campaign sent to all of them and
 * 10,000,000 events (sent, opens with a fifth machine opens, clicks on 8 links, bounces,
 * unsubscribes, complaints) with their rollups, on the machine's Postgres. Each report endpoint is
 * called through the Worker 40 times; p95 per endpoint beside the same numbers computed from the
 * raw events (what the report would cost without rollups), once, in the same run.
 */

const SUBSCRIBERS = Number(process.env.BENCH_REPORT_SUBSCRIBERS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_REPORT_EVENTS ?? 10_000_000);
const CALLS = 40;

async function client(url: string) {
  const c = new pg.Client({ connectionString: url });
  c.on("error", () => undefined); // the database is dropped under it at the end
  await c.connect();
  return c;
}

/** Seeds subscribers, one sent campaign, its ledger, raw events and the rollups that match them. */
async function seed(db: pg.Client): Promise<string> {
  const t0 = performance.now();
  const campaignId = "01900000-0000-7000-8000-00000000c0de";
  const templateId = "01900000-0000-7000-8000-00000000face";
  await db.query(`insert into templates (id, name, kind) values ($1, 'report bench', 'campaign')`, [
    templateId,
  ]);
  await db.query(
    `insert into template_versions (id, template_id, version, subject, html) values (gen_random_uuid(), $1, 1, 's', 'h')`,
    [templateId],
  );
  await db.query(
    `insert into campaigns (id, name, status, template_id, template_version, from_name, from_email, audience_size, sent_count, started_at, finished_at, frozen_at)
     values ($1, 'report bench', 'sent', $2, 1, 'Bench', 'news@bench.test', $3, $3, now() - interval '3 days', now() - interval '3 days', now() - interval '3 days')`,
    [campaignId, templateId, SUBSCRIBERS],
  );
  const domains =
    "array['gmail.com','outlook.com','yahoo.com','icloud.com','hotmail.com','gmx.de','web.de','example.org','proton.me','aol.com']";
  await db.query(
    `insert into subscribers (id, email, name, created_at)
     select gen_random_uuid(), 'user' || i || '@' || (${domains})[1 + i % 10], 'Person ' || i, now() - make_interval(days => i % 365)
     from generate_series(1, $1::int) i`,
    [SUBSCRIBERS],
  );
  await db.query(
    `insert into sends (campaign_id, subscriber_id, email, status, attempts, sent_at, message_id)
     select $1::uuid, id, email, 'sent', 1, now() - interval '3 days', md5(email) || '@bench.test' from subscribers`,
    [campaignId],
  );
  console.error(
    `report bench: ${SUBSCRIBERS} subscribers and sends in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  // Events: one sent per send, then opens, clicks and the rest up to EVENTS, spread over 72 hours.
  const rest = EVENTS - SUBSCRIBERS;
  await db.query(
    `insert into events (kind, send_id, campaign_id, subscriber_id, occurred_at, dedupe_key)
     select 'sent', id, campaign_id, subscriber_id, sent_at, 'sent:' || id from sends where campaign_id = $1::uuid`,
    [campaignId],
  );
  await db.query(
    `insert into events (kind, send_id, campaign_id, subscriber_id, url, machine, client, occurred_at, dedupe_key, data)
     select
       case when r < 0.64 then 'open' when r < 0.995 then 'click' when r < 0.998 then 'bounce' when r < 0.9995 then 'unsubscribe' else 'complaint' end::event_kind,
       s.id, s.campaign_id, s.subscriber_id,
       case when r >= 0.64 and r < 0.995 then 'https://example.com/story/' || (1 + i % 8) end,
       r < 0.13, case when r < 0.13 then 'apple-mpp' else 'other' end,
       now() - interval '3 days' + make_interval(secs => (i % 259200)),
       'bench:' || i,
       case when r >= 0.995 and r < 0.998 then jsonb_build_object('reason', (array['userunknown','mailboxfull','filtered','blocked'])[1 + i % 4], 'hard', i % 4 = 0) end
     from (select i, random() as r, 1 + (i * 7919) % $2::bigint as sid from generate_series(1, $3::bigint) i) g
     join sends s on s.id = g.sid and s.campaign_id = $1::uuid`,
    [campaignId, SUBSCRIBERS, rest],
  );
  console.error(`report bench: ${EVENTS} events in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  // Rollups as the events consumer would have kept them.
  await db.query(
    `update sends s set opened_at = f.o, clicked_at = f.c from (
       select send_id, min(occurred_at) filter (where kind = 'open' and not machine) as o, min(occurred_at) filter (where kind = 'click' and not machine) as c
       from events where campaign_id = $1::uuid group by send_id) f where s.id = f.send_id`,
    [campaignId],
  );
  await db.query(
    `insert into campaign_rollups_hourly (campaign_id, hour, sent, opens, unique_opens, machine_opens, clicks, unique_clicks, bounces, complaints, unsubscribes)
     select $1::uuid, h, sum(sent), sum(opens), sum(uo), sum(mo), sum(clicks), sum(uc), sum(b), sum(co), sum(u) from (
       select date_trunc('hour', occurred_at, 'UTC') h,
         count(*) filter (where kind = 'sent') sent, count(*) filter (where kind = 'open' and not machine) opens, 0 uo,
         count(*) filter (where kind = 'open' and machine) mo, count(*) filter (where kind = 'click' and not machine) clicks, 0 uc,
         count(*) filter (where kind = 'bounce') b, count(*) filter (where kind = 'complaint') co, count(*) filter (where kind = 'unsubscribe') u
       from events where campaign_id = $1::uuid group by 1
       union all select date_trunc('hour', opened_at, 'UTC'), 0, 0, count(*), 0, 0, 0, 0, 0, 0 from sends where campaign_id = $1::uuid and opened_at is not null group by 1
       union all select date_trunc('hour', clicked_at, 'UTC'), 0, 0, 0, 0, 0, count(*), 0, 0, 0 from sends where campaign_id = $1::uuid and clicked_at is not null group by 1
     ) x group by h`,
    [campaignId],
  );
  await db.query(
    `insert into link_rollups (campaign_id, url, clicks, unique_clicks)
     select $1::uuid, url, count(*), count(distinct send_id) from events where campaign_id = $1::uuid and kind = 'click' and not machine group by url`,
    [campaignId],
  );
  await db.query(
    `insert into campaign_domain_rollups (campaign_id, domain, sent, bounces, unique_opens, unique_clicks)
     select $1::uuid, split_part(email, '@', 2), count(*), 0, count(opened_at), count(clicked_at) from sends where campaign_id = $1::uuid group by 2`,
    [campaignId],
  );
  await db.query(
    `insert into campaign_bounce_rollups (campaign_id, reason, hard, bounces)
     select $1::uuid, data->>'reason', (data->>'hard')::boolean, count(*) from events where campaign_id = $1::uuid and kind = 'bounce' group by 2, 3`,
    [campaignId],
  );
  await db.query("vacuum analyze");
  console.error(`report bench: seeded with rollups in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return campaignId;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1] ?? 0;

export const reportBench: Bench = async () => {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!server) {
    console.error(
      "report bench: needs DATABASE_URL (a Postgres server); 10,000,000 events are beyond the embedded database",
    );
    return [];
  }
  const name = `edgepost_bench_report_${process.pid}`;
  const admin = await client(server);
  await admin.query(`create database "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(join(tmpdir(), "edgepost-bench-report-"));
  try {
    await applyMigrations(url.toString());
    const db = await client(url.toString());
    const campaignId = await seed(db).catch((err: unknown) => {
      console.error("report bench: seeding failed:", err);
      throw err;
    });
    const worker = await startWorker({
      persistTo: dir,
      snapshot: true,
      vars: { ...generateSecrets(), ENVIRONMENT: "test", DATABASE_URL: url.toString() },
    });
    try {
      const setup = await fetch(`${worker.url}/api/v1/auth/setup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "bench@bench.test", password: "bench password 1", name: "Bench" }),
      });
      const { accessToken } = (await setup.json()) as { accessToken: string };
      const paths = [
        `/api/v1/campaigns/${campaignId}/stats`,
        `/api/v1/analytics/campaigns/${campaignId}/timeline`,
        `/api/v1/analytics/campaigns/${campaignId}/links`,
        `/api/v1/analytics/campaigns/${campaignId}/domains`,
        `/api/v1/analytics/campaigns/${campaignId}/bounces`,
        "/api/v1/analytics/overview",
      ];
      const times = new Map<string, number[]>(paths.map((p) => [p, []]));
      for (let i = 0; i < CALLS + 3; i++) {
        for (const path of paths) {
          const t0 = performance.now();
          const res = await fetch(`${worker.url}${path}`, {
            headers: { authorization: `Bearer ${accessToken}` },
          });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
          if (i >= 3) times.get(path)?.push(performance.now() - t0);
        }
      }
      // The same numbers from raw events: the report without rollups.
      const t0 = performance.now();
      await db.query(
        `select kind, machine, count(*), count(distinct send_id) from events where campaign_id = $1::uuid group by kind, machine`,
        [campaignId],
      );
      await db.query(
        `select url, count(*) from events where campaign_id = $1::uuid and kind = 'click' group by url`,
        [campaignId],
      );
      const raw = performance.now() - t0;
      const all = [...times.values()].flat();
      const figures = [
        figure("report-api-p95 (lower is better)", p95(all), "ms", "target 300 ms", 300),
        figure(
          "report-api-p95-vs-raw-events (lower is better)",
          p95(all),
          "ms",
          "counting the raw events for stats and links once",
          raw,
        ),
        ...[...times].map(([path, xs]) =>
          figure(
            `report-api-p95 ${path.replace(campaignId, ":id")} (lower is better)`,
            p95(xs),
            "ms",
            "target 300 ms",
            300,
          ),
        ),
      ];
      return figures;
    } finally {
      await worker.stop();
      await db.end();
    }
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
};

import { readFileSync } from "node:fs";
import pg from "pg";
import { freePort } from "../lib/net";
import { startPglite } from "../lib/pglite";

/**
 * What the workflows bench shares: its sizes, its scratch database, and the seed (subscribers,
 * suppressions and lists, set-based in SQL).
 */

const SERVER = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
/** On the machine's Postgres (its server processes can be read in /proc); else in-memory PGlite. */
export const ON_POSTGRES = Boolean(SERVER);
/** In every figure's name: which database it was measured on. */
export const DB_TAG = ON_POSTGRES ? "(postgres)" : "(pglite)";
/** Entered at once, and waiting for the memory figure. PGlite holds its database in memory: smaller. */
export const SIZE = Number(process.env.BENCH_WORKFLOW_SIZE ?? (SERVER ? 1_000_000 : 100_000));
/** Runs advanced through wait -> condition -> update -> exit, per side. */
export const ADVANCE = Number(process.env.BENCH_WORKFLOW_ADVANCE ?? Math.min(100_000, SIZE));
/** Runs whose timers fire in the same minute. */
export const TIMERS = Number(process.env.BENCH_WORKFLOW_TIMERS ?? Math.min(10_000, SIZE));
/** Rounds of the entry figure (ours and the hand-written alternate; the faster of each counts). */
export const ENTRY_ROUNDS = Number(process.env.BENCH_WORKFLOW_ROUNDS ?? 2);
/** Run ids per advance, as `drainWorkflow` takes them. */
export const BATCH = 1000;

/** 1000000 -> "1m", 100000 -> "100k". */
export const sizeLabel = (n: number) =>
  n >= 1_000_000 && n % 1_000_000 === 0
    ? `${n / 1_000_000}m`
    : n >= 1000 && n % 1000 === 0
      ? `${n / 1000}k`
      : String(n);

export const log = (line: string) => console.error(`workflows bench: ${line}`);

/** The machine's load average now (the VM is shared: a figure's context). */
export const loadNow = () => {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
};
export const seconds = (t0: number) => (performance.now() - t0) / 1000;

export interface Scratch {
  url: string;
  label: string;
  stop(): Promise<void>;
}

async function adminQuery(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

/** A database of its own on the machine's Postgres (dropped after), or else in-memory PGlite. */
export async function scratchDatabase(): Promise<Scratch> {
  if (!SERVER) {
    const pglite = await startPglite({ dir: "memory://", port: await freePort() });
    return { url: pglite.url, label: "PGlite (in memory)", stop: pglite.stop };
  }
  const name = `edgepost_bench_workflows_${process.pid}`;
  const version = (await adminQuery(SERVER, "show server_version")).rows[0]?.server_version ?? "?";
  await adminQuery(SERVER, `drop database if exists "${name}"`);
  await adminQuery(SERVER, `create database "${name}"`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    label: `Postgres ${String(version).split(" ")[0]}`,
    stop: async () => {
      await adminQuery(SERVER, `drop database if exists "${name}" with (force)`);
    },
  };
}

export interface Seeded {
  /** Every subscriber (1 in 50 unsubscribed, 1 in 100 suppressed), confirmed. */
  everyone: string;
  /** Active, unsuppressed subscribers spread over the table: `ADVANCE` of them, `TIMERS` of them, and five. */
  advance: string;
  timers: string;
  few: string;
}

/** The same address hash the engine checks suppressions with. */
export const HASH = `encode(sha256(convert_to(lower(btrim(s.email)), 'UTF8')), 'hex')`;

/**
 * `SIZE` subscribers with time-ordered ids (UUIDv7-shaped, as the application makes them), a
 * `plan` field (a third "pro") and a `tier` field the workflows set; every tenth unsubscribed or
 * suppressed as above, so the entry filters have something to refuse. All in SQL, set-based.
 */
export async function seed(c: pg.Client): Promise<Seeded> {
  await c.query(`insert into fields (id, key, label, type, options) values
    (gen_random_uuid(), 'plan', 'Plan', 'select', '["free","pro","team"]'),
    (gen_random_uuid(), 'tier', 'Tier', 'text', null)`);
  await c.query(
    `insert into subscribers (id, email, name, status, fields)
     select (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3)
         || '-' || substr(r, 7, 12))::uuid,
       'wf' || g || '@bench.test', 'Person ' || g,
       (case when g % 50 = 0 then 'unsubscribed' else 'active' end)::subscriber_status,
       jsonb_build_object('plan', (array['free', 'pro', 'team'])[1 + g % 3])
     from generate_series(1, $1::int) g,
       lateral (select lpad(to_hex(1767225600000 + g), 12, '0') as h, md5(g::text) as r) x`,
    [SIZE],
  );
  await c.query(
    `insert into suppressions (id, email_hash, email, reason)
     select gen_random_uuid(), ${HASH}, s.email, 'manual' from subscribers s
     where split_part(substr(s.email, 3), '@', 1)::int % 100 = 7`,
  );
  const list = async (name: string, members: string) => {
    const id = (
      await c.query<{ id: string }>(
        `insert into lists (id, name, opt_in) values (gen_random_uuid(), $1, 'single') returning id`,
        [name],
      )
    ).rows[0]?.id as string;
    await c.query(
      `insert into list_memberships (list_id, subscriber_id, status, source, confirmed_at)
       select $1::uuid, s.id, 'confirmed', 'import', now() from subscribers s ${members}`,
      [id],
    );
    return id;
  };
  const entering = (n: number) =>
    `where s.status = 'active' and not exists (select 1 from suppressions sp where sp.email_hash = ${HASH})
     order by md5(s.id::text) limit ${n}`;
  const seeded = {
    everyone: await list("everyone", ""),
    advance: await list("advance", entering(ADVANCE)),
    timers: await list("timers", entering(TIMERS)),
    few: await list("few", entering(5)),
  };
  await c.query("vacuum analyze");
  return seeded;
}

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { campaigns, campaignVariants, sends, templates } from "../../schema";
import { events } from "../../schema/events";
import type { EventRecord } from "../../workers/domain/tracking/event-record";
import { ingestEvents } from "../../workers/domain/tracking/ingest";
import { openDb } from "../../workers/lib/db";
import { signClick, signMessageTokens, signOpen } from "../../workers/lib/tracking-token";
import { applyMigrations } from "../lib/migrate";
import { freePort } from "../lib/net";
import { startPglite } from "../lib/pglite";
import { generateSecrets } from "../lib/secrets";
import { ROOT } from "../lib/worker";
import { type DevWorker, startWorkerd, trackingConfig } from "./dev-worker";
import { type Bench, type Figure, figure } from "./harness";
import { closedLoop, type LoadTarget, openLoop } from "./http-load";

/**
 * The tracking benches (exports `trackingHttp`, `trackingIngest`, `trackingSign`):
 * - the tracking endpoints' request rate, served by one workerd process, beside an empty Worker served the
 *   same way, and their p50/p99 latency at 70% of that rate beside the empty Worker's at the same
 *   rate (targets: ≥ 0.8× the empty Worker's rate, p99 < 10 ms);
 * - events per second through `ingestEvents` (batches of 100, one connection) beside a plain
 *   multi-row INSERT of the same rows (target: ≥ 10,000 events/s);
 * - tracking-token signing per message (a pixel and 20 links) beside bare WebCrypto HMACs.
 * Postgres when DATABASE_URL is set (a fresh database on that server, dropped after), else PGlite.
 */

/** Seconds per target per round of the rate measurement, rounds, and seconds per latency run. */
const SECONDS = Number(process.env.BENCH_TRACKING_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_TRACKING_ROUNDS ?? 5);
const LATENCY_SECONDS = Number(process.env.BENCH_TRACKING_LATENCY_SECONDS ?? 6);
const CONNECTIONS = Number(process.env.BENCH_TRACKING_CONNECTIONS ?? 16);
const EVENTS = Number(process.env.BENCH_TRACKING_EVENTS ?? 50_000);
const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

interface BenchDb {
  url: string;
  kind: "postgres" | "pglite";
  stop(): Promise<void>;
}

/** A new migrated database: on DATABASE_URL's server when set, else in-memory PGlite. */
async function benchDatabase(): Promise<BenchDb> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const lite = await startPglite({ dir: "memory://", port: await freePort() });
    await applyMigrations(lite.url);
    return { url: lite.url, kind: "pglite", stop: lite.stop };
  }
  const name = `edgepost_bench_tracking_${process.pid}`;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(text).finally(() => c.end());
  };
  await admin(`drop database if exists "${name}" with (force)`);
  await admin(`create database "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return {
    url: url.toString(),
    kind: "postgres",
    stop: () => admin(`drop database if exists "${name}" with (force)`),
  };
}

const target = (port: number, requests: LoadTarget["requests"]): LoadTarget => ({
  host: "127.0.0.1",
  port,
  requests,
});

/**
 * Requests per second and latency at 70% of it, for `/o/`, `/c/` and the empty Worker. No database:
 * the request path never touches one.
 */
export const trackingHttp: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), "edgepost-bench-tracking-"));
  const secrets = generateSecrets();
  const stops: (() => Promise<void>)[] = [];
  try {
    mkdirSync(join(dir, "edgepost"));
    mkdirSync(join(dir, "empty"));
    const vars = { ...secrets, ENVIRONMENT: "test", DATABASE_URL: "postgres://unused@127.0.0.1:9/none" };
    const worker = await startWorkerd(trackingConfig(join(dir, "edgepost")), join(dir, "edgepost"), vars);
    stops.push(worker.stop);
    const empty = await startWorkerd(
      join(ROOT, "scripts/bench/empty-worker/wrangler.toml"),
      join(dir, "empty"),
      {},
    );
    stops.push(empty.stop);
    const secret = secrets.TRACKING_SECRET as string;
    const ids = {
      campaignId: crypto.randomUUID(),
      subscriberId: crypto.randomUUID(),
      variantId: crypto.randomUUID(),
    };
    // Tokens of many sends, as a real campaign's opens and clicks would be: each run goes on where
    // the previous one of its target stopped (`fresh`), so a default run (about 20,000 requests
    // per target) requests each token once, and a longer one each about once in 40 s. The edge
    // drops the event of a token replayed past 5 a minute (track/limit.ts); measuring that cheaper
    // path would flatter the endpoints.
    const headers = { "user-agent": CHROME };
    const opens: LoadTarget["requests"] = [];
    const clicks: LoadTarget["requests"] = [];
    for (let i = 1; i <= 50_000; i++) {
      opens.push({ method: "GET", path: `/o/${await signOpen(secret, { ...ids, sendId: i })}`, headers });
      const url = `https://shop.example.com/spring/collection?utm_source=edgepost&utm_campaign=bench&i=${i}`;
      const token = await signClick(secret, { ...ids, sendId: i, linkIndex: i % 20, url });
      clicks.push({ method: "GET", path: `/c/${token}`, headers });
    }
    const names = ["empty", "emptyPixel", "emptyRedirect", "open", "click"] as const;
    type Name = (typeof names)[number];
    // Tracking-shaped paths, so the assets layer hands them to the Worker as it does for Edgepost.
    const bare = (path: string) => target(empty.port, [{ method: "GET", path, headers }]);
    const targets: Record<Name, { load: LoadTarget; status: number; worker: DevWorker }> = {
      empty: { load: bare("/o/empty"), status: 204, worker: empty },
      emptyPixel: { load: bare("/o/pixel"), status: 200, worker: empty },
      emptyRedirect: { load: bare("/c/redirect"), status: 302, worker: empty },
      open: { load: target(worker.port, opens), status: 200, worker },
      click: { load: target(worker.port, clicks), status: 302, worker },
    };
    const used = Object.fromEntries(names.map((n) => [n, 0])) as Record<Name, number>;
    const fresh = (name: Name, count: number): LoadTarget => {
      const { requests } = targets[name].load;
      const at = used[name] % requests.length;
      used[name] += count;
      return { ...targets[name].load, requests: [...requests.slice(at), ...requests.slice(0, at)] };
    };
    const measure = async (name: Name, seconds: number) => {
      const t = targets[name];
      const load = fresh(name, 0);
      const cpu0 = t.worker.cpu();
      const r = await closedLoop(load, { connections: CONNECTIONS, seconds, expectStatus: t.status });
      used[name] += Math.ceil(r.rps * seconds);
      if (r.errors || r.unexpected)
        throw new Error(`${name}: ${r.errors} errors, ${r.unexpected} statuses ${r.unexpectedStatus}`);
      return { rps: r.rps, cpuUs: ((t.worker.cpu() - cpu0) / (r.rps * seconds)) * 1e6 };
    };
    for (const name of names) await measure(name, 2); // warm-up: JIT, connections
    // Short rounds of all of them in turn, and the median of each: this machine's speed drifts by
    // 2x over tens of seconds, and interleaving puts the drift into every series alike.
    const runs = Object.fromEntries(names.map((n) => [n, [] as { rps: number; cpuUs: number }[]])) as Record<
      Name,
      { rps: number; cpuUs: number }[]
    >;
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names) runs[name].push(await measure(name, SECONDS));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const rps = (n: Name) => median(runs[n].map((r) => r.rps));
    const cpu = (n: Name) => median(runs[n].map((r) => r.cpuUs));
    for (const n of names) {
      console.error(
        `tracking-http ${n}: ${runs[n].map((r) => Math.round(r.rps)).join(" ")} req/s, median CPU ${Math.round(cpu(n))} µs/request (workerd + Miniflare's Node)`,
      );
    }
    const same = "same workerd serving and load generator, median of interleaved rounds";
    const baselineOf = { open: "emptyPixel", click: "emptyRedirect" } as const;
    const answer = { open: "the same 43-byte pixel response", click: "the same 302 response" } as const;
    const figures: Figure[] = [];
    for (const name of ["open", "click"] as const) {
      const base = baselineOf[name];
      figures.push(
        figure(
          `tracking-${name}-rps`,
          rps(name),
          "requests/s",
          `empty Worker answering ${answer[name]} (${same})`,
          rps(base),
        ),
        figure(
          `tracking-${name}-rps-vs-bare-204`,
          rps(name),
          "requests/s",
          `empty Worker answering a bare 204 (${same})`,
          rps("empty"),
        ),
        figure(
          `tracking-${name}-cpu-us-per-request-lower-is-better`,
          cpu(name),
          "µs",
          `empty Worker answering ${answer[name]}`,
          cpu(base),
        ),
      );
    }
    for (const name of ["open", "click"] as const) {
      const base = baselineOf[name];
      const rate = Math.round(0.7 * rps(name));
      const count = rate * LATENCY_SECONDS;
      const ours = await openLoop(fresh(name, count), { rate, seconds: LATENCY_SECONDS, connections: 64 });
      const theirs = await openLoop(fresh(base, count), { rate, seconds: LATENCY_SECONDS, connections: 64 });
      console.error(
        `tracking-http /${name[0]}/ at ${rate}/s: p50 ${ours.p50Ms.toFixed(2)} ms, p99 ${ours.p99Ms.toFixed(2)} ms, max ${ours.maxMs.toFixed(1)} ms (empty Worker, same response: p50 ${theirs.p50Ms.toFixed(2)}, p99 ${theirs.p99Ms.toFixed(2)})`,
      );
      const label = `empty Worker answering ${answer[name]} at the same ${rate} requests/s`;
      figures.push(
        figure(`tracking-${name}-p50-ms-at-70pct-lower-is-better`, ours.p50Ms, "ms", label, theirs.p50Ms),
        figure(`tracking-${name}-p99-ms-at-70pct-lower-is-better`, ours.p99Ms, "ms", label, theirs.p99Ms),
      );
    }
    return figures;
  } finally {
    for (const stop of stops.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

/** A campaign with two variants and `n` sends that went out a day ago; returns the send ids. */
async function seedSends(url: string, n: number) {
  const conn = openDb(url);
  try {
    const [t] = await conn.db.insert(templates).values({ name: "bench" }).returning({ id: templates.id });
    if (!t) throw new Error("no template");
    const [c] = await conn.db
      .insert(campaigns)
      .values({ name: "bench", templateId: t.id, fromName: "B", fromEmail: "b@bench.example.com" })
      .returning({ id: campaigns.id });
    if (!c) throw new Error("no campaign");
    const variants = await conn.db
      .insert(campaignVariants)
      .values([0, 1].map((position) => ({ campaignId: c.id, name: `v${position}`, position })))
      .returning({ id: campaignVariants.id });
    const ids: { id: number; variantId: string | null }[] = [];
    const sentAt = new Date(Date.now() - 86_400_000);
    for (let i = 0; i < n; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
        campaignId: c.id,
        variantId: variants[(i + k) % 2]?.id ?? null,
        email: `bench${i + k}@bench.example.com`,
        status: "sent" as const,
        sentAt,
      }));
      ids.push(
        ...(await conn.db.insert(sends).values(rows).returning({ id: sends.id, variantId: sends.variantId })),
      );
    }
    return { campaignId: c.id, sends: ids };
  } finally {
    await conn.close();
  }
}

/** A realistic mix: human and machine opens, human and scanner clicks over a few links. */
function makeEvents(seed: Awaited<ReturnType<typeof seedSends>>, n: number, prefix: string): EventRecord[] {
  const out: EventRecord[] = [];
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const send = seed.sends[(i * 7919) % seed.sends.length] ?? { id: 1, variantId: null };
    const r = i % 20;
    const kind = r < 14 ? "open" : "click";
    const machine = r < 5 || r === 19;
    out.push({
      kind,
      dedupeKey: `${prefix}:${i}`,
      occurredAt: new Date(now - (n - i) * 10),
      sendId: send.id,
      campaignId: seed.campaignId,
      variantId: send.variantId,
      subscriberId: null,
      url: kind === "click" ? `https://shop.example.com/link/${i % 5}` : null,
      machine,
      client: machine ? (kind === "open" ? "apple-mpp" : "scanner:proofpoint") : "webmail",
      userAgent: machine && kind === "open" ? "Mozilla/5.0" : CHROME,
      ip: "203.0.113.9",
      data: kind === "click" ? { linkIndex: i % 5 } : null,
    });
  }
  return out;
}

/** Events per second through ingestEvents beside a plain multi-row INSERT of the same rows. */
export const trackingIngest: Bench = async () => {
  const db = await benchDatabase();
  try {
    const seed = await seedSends(db.url, 20_000);
    const conn = openDb(db.url);
    try {
      const timeBatches = async (
        records: EventRecord[],
        each: (batch: EventRecord[]) => Promise<unknown>,
      ) => {
        const t0 = performance.now();
        for (let i = 0; i < records.length; i += 100) await each(records.slice(i, i + 100));
        return records.length / ((performance.now() - t0) / 1000);
      };
      // Baseline first, on an empty table; then the table is emptied again for ingestEvents.
      const plain = makeEvents(seed, EVENTS, "plain");
      const baseline = await timeBatches(plain, (batch) =>
        conn.db.insert(events).values(
          batch.map((r) => ({
            kind: r.kind,
            dedupeKey: r.dedupeKey,
            occurredAt: r.occurredAt,
            sendId: r.sendId,
            campaignId: r.campaignId,
            variantId: r.variantId,
            subscriberId: r.subscriberId,
            url: r.url,
            machine: r.machine ?? false,
            client: r.client,
            userAgent: r.userAgent,
            ip: r.ip,
            data: r.data,
          })),
        ),
      );
      await conn.db.execute("truncate events");
      const records = makeEvents(seed, EVENTS, "ingest");
      const ingested = await timeBatches(records, (batch) => ingestEvents(conn.db, batch));
      // A redelivery of everything: each batch finds its events stored and changes nothing.
      const redelivered = await timeBatches(records, (batch) => ingestEvents(conn.db, batch));
      console.error(
        `tracking-ingest (${db.kind}): ${Math.round(ingested)} events/s, plain insert ${Math.round(baseline)}/s, redelivery ${Math.round(redelivered)}/s`,
      );
      return [
        figure(
          `tracking-ingest-events-per-s-${db.kind}`,
          ingested,
          "events/s",
          "plain multi-row INSERT of the same events, no dedupe or rollups",
          baseline,
        ),
        figure(
          `tracking-ingest-redelivered-events-per-s-${db.kind}`,
          redelivered,
          "events/s",
          "plain multi-row INSERT of the same events, no dedupe or rollups",
          baseline,
        ),
      ];
    } finally {
      await conn.close();
    }
  } finally {
    await db.stop();
  }
};

/** Messages signed per second (a pixel and 20 links each) beside the bare HMACs they need. */
export const trackingSign: Bench = async () => {
  const secret = generateSecrets().TRACKING_SECRET as string;
  const ids = { sendId: 123_456_789, campaignId: crypto.randomUUID(), subscriberId: crypto.randomUUID() };
  const urls = Array.from(
    { length: 20 },
    (_, i) => `https://shop.example.com/spring/collection/${i}?utm_source=edgepost&utm_campaign=spring`,
  );
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const data = new TextEncoder().encode(`${"x".repeat(70)}${urls[0]}`);
  const rate = async (op: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 200; i++) await op(i);
    const n = 3000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await op(i);
    return n / ((performance.now() - t0) / 1000);
  };
  const signed = await rate((i) => signMessageTokens(secret, { ...ids, sendId: i + 1 }, urls));
  const bare = await rate(() =>
    Promise.all(Array.from({ length: 21 }, () => crypto.subtle.sign("HMAC", key, data))),
  );
  console.error(
    `tracking-sign: ${Math.round(signed)} messages/s (21 tokens each), bare HMACs ${Math.round(bare)}/s`,
  );
  return [
    figure(
      "tracking-sign-messages-per-s",
      signed,
      "messages/s",
      "21 bare WebCrypto HMAC-SHA256 per message",
      bare,
    ),
  ];
};

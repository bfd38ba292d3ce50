import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { memoryByName } from "../lib/proc-stats";
import { generateSecrets } from "../lib/secrets";
import { type RunningWorker, startWorker } from "../lib/worker";
import { type Figure, figure } from "./harness";
import { DB_TAG, type Scratch, type Seeded, SIZE, sizeLabel, TIMERS } from "./workflows-seed";

/**
 * The workflow figures that need the real Worker (`wrangler dev`, workerd): timers firing through
 * the timer Durable Objects and the workflows queue, and the Worker's memory while a million runs
 * wait. The cron is never fired here, so its overdue sweep cannot be what moves the timed runs.
 */

/** The wait of the timers figure: every run comes due within the same minute. */
const WAIT_SECONDS = Number(process.env.BENCH_WORKFLOW_WAIT ?? 20);
/** The floor's wait (a handful of runs, nothing else due). */
const FLOOR_WAIT_SECONDS = 5;
const MB = 1024 * 1024;

const log = (line: string) => console.error(`workflows bench: ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Api {
  call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

async function signIn(worker: RunningWorker): Promise<Api> {
  const request = async (method: string, path: string, body: unknown, token?: string) => {
    const res = await fetch(`${worker.url}/api/v1${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const setup = await request("POST", "/auth/setup", {
    email: "bench@bench.test",
    password: "bench password 1",
    name: "Bench",
  });
  const token = setup.accessToken as string;
  return { call: (method, path, body) => request(method, path, body, token) };
}

/** workerd's resident memory, sampled every 250 ms while `sampling` is on. */
function rssSampler(worker: RunningWorker) {
  const group = worker.child.proc.pid ?? -1;
  const now = () =>
    Math.max(
      0,
      ...[...memoryByName(group, "VmRSS")].filter(([k]) => k.startsWith("workerd")).map(([, v]) => v),
    );
  let samples: number[] = [];
  const timer = setInterval(() => samples.push(now()), 250);
  return {
    now,
    /** The largest sample since the last `take`, and a fresh start. */
    take(): number {
      const peak = Math.max(now(), ...samples);
      samples = [];
      return peak;
    },
    stop: () => clearInterval(timer),
  };
}

/** The calls a dashboard makes on a workflow's page: its stats, the list, a page of instances. */
async function dashboardCalls(api: Api, workflowId: string): Promise<number> {
  const t0 = performance.now();
  await api.call("GET", `/workflows/${workflowId}/stats`);
  const stats = performance.now() - t0;
  await api.call("GET", "/workflows");
  await api.call("GET", `/workflows/${workflowId}`);
  await api.call("GET", `/workflows/${workflowId}/instances?limit=50`);
  return stats;
}

/**
 * Figure 4: `SIZE` runs waiting a month, inserted set-based in ten slices while the Worker serves
 * a dashboard's calls on that workflow; workerd's resident memory before (the same calls with no
 * runs) and after.
 */
async function memoryFigure(worker: RunningWorker, api: Api, c: pg.Client): Promise<Figure> {
  const wf = await api.call("POST", "/workflows", {
    name: "a month's wait",
    trigger: { type: "event", name: "bench_never_sent" },
    nodes: [
      { id: "pause", type: "wait", seconds: 30 * 86400 },
      { id: "done", type: "exit" },
    ],
    edges: [{ from: "pause", to: "done" }],
  });
  const id = wf.id as string;
  await api.call("POST", `/workflows/${id}/activate`);
  const rss = rssSampler(worker);
  try {
    for (let k = 0; k < 3; k++) await dashboardCalls(api, id);
    rss.take();
    for (let k = 0; k < 5; k++) await dashboardCalls(api, id);
    const before = rss.take();
    const bounds = (
      await c.query<{ id: string }>(
        `select id from (select id, row_number() over (order by id) as n from subscribers) s
         where (n - 1) % ceil($1::int / 10.0)::int = 0 order by id`,
        [SIZE],
      )
    ).rows.map((r) => r.id);
    let serving = true;
    const during: number[] = [];
    const meanwhile = (async () => {
      while (serving) during.push(await dashboardCalls(api, id));
    })();
    const t0 = performance.now();
    for (const [k, lo] of bounds.entries()) {
      const hi = bounds[k + 1] ?? null;
      await c.query(
        `insert into workflow_instances (workflow_id, version, subscriber_id, status, current_node, wake_at, entry_key)
         select $1::uuid, 1, s.id, 'waiting', 'pause', now() + interval '30 days' + random() * interval '1 day', 'bench'
         from subscribers s where s.id >= $2::uuid and ($3::uuid is null or s.id < $3::uuid)`,
        [id, lo, hi],
      );
    }
    serving = false;
    await meanwhile;
    log(`memory: ${SIZE} waiting runs inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await c.query("analyze workflow_instances");
    const after: number[] = [];
    for (let k = 0; k < 5; k++) after.push(await dashboardCalls(api, id));
    const waiting = (await api.call("GET", `/workflows/${id}`)).counts as { active: number };
    const peak = rss.take();
    after.sort((a, b) => a - b);
    log(
      `memory: workerd RSS ${(before / MB).toFixed(0)} MB before, at most ${(peak / MB).toFixed(0)} MB with ${waiting.active} waiting ` +
        `(${during.length} rounds of dashboard calls while inserting); GET stats at ${waiting.active} waiting: median ${after[2]?.toFixed(0)} ms`,
    );
    return figure(
      `workflows-rss-workerd-${sizeLabel(SIZE)}-waiting ${DB_TAG} (lower is better)`,
      peak / MB,
      "MB",
      "workerd's resident memory before, the same calls on the same workflow with no runs (same Worker)",
      before / MB,
    );
  } finally {
    rss.stop();
  }
}

/** Where every run of a workflow stands and when it is due, read as it starts waiting. */
async function collectWakes(
  c: pg.Client,
  wf: string,
  n: number,
  deadline: number,
): Promise<Map<string, number>> {
  const wakes = new Map<string, number>();
  while (wakes.size < n && Date.now() < deadline) {
    const rows = await c.query<{ id: string; wake: number }>(
      `select id, extract(epoch from wake_at) * 1000 as wake from workflow_instances
       where workflow_id = $1::uuid and status = 'waiting' and current_node = 'pause'`,
      [wf],
    );
    for (const r of rows.rows) if (!wakes.has(r.id)) wakes.set(r.id, Number(r.wake));
    if (wakes.size < n) await sleep(200);
  }
  return wakes;
}

interface Lateness {
  entered: number;
  advanced: number;
  /** Seconds past each run's `wake_at` when its wait's step was written, sorted. */
  late: number[];
  /** Seconds between the first and the last run's `wake_at`. */
  spread: number;
  /** Distinct `wake_at` values (each hold statement gives its runs one). */
  dueTimes: number;
}

const quantile = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

/**
 * `n` members of a list enter a workflow whose first node waits `wait` seconds (activation with
 * `existing` through the API: the queue drains them to the wait, which arms the timer shards);
 * then how late each run's wait ended, from its `wait:waited` step.
 */
async function timerRun(api: Api, c: pg.Client, listId: string, n: number, wait: number): Promise<Lateness> {
  const wf = await api.call("POST", "/workflows", {
    name: `timers ${n}`,
    trigger: { type: "list_joined", listId, existing: true },
    nodes: [
      { id: "pause", type: "wait", seconds: wait },
      { id: "done", type: "exit" },
    ],
    edges: [{ from: "pause", to: "done" }],
  });
  const id = wf.id as string;
  const started = Date.now();
  await api.call("POST", `/workflows/${id}/activate`);
  const wakes = await collectWakes(c, id, n, started + wait * 1000 + 120_000);
  const lastWake = Math.max(...wakes.values());
  const firstWake = Math.min(...wakes.values());
  log(
    `timers: ${wakes.size} of ${n} waiting ${((firstWake - started) / 1000).toFixed(1)}–${((lastWake - started) / 1000).toFixed(1)} s after activation`,
  );
  const waited = async () =>
    (
      await c.query<{ id: string; at: number }>(
        `select instance_id as id, extract(epoch from at) * 1000 as at from workflow_steps
         where workflow_id = $1::uuid and node_id = 'pause' and outcome = 'waited'`,
        [id],
      )
    ).rows;
  const deadline = lastWake + 90_000;
  let steps = await waited();
  while (steps.length < n && Date.now() < deadline) {
    await sleep(500);
    steps = await waited();
  }
  const late = steps
    .filter((s) => wakes.has(s.id))
    .map((s) => (Number(s.at) - (wakes.get(s.id) ?? 0)) / 1000)
    .sort((a, b) => a - b);
  return {
    entered: wakes.size,
    advanced: steps.length,
    late,
    spread: (lastWake - firstWake) / 1000,
    dueTimes: new Set(wakes.values()).size,
  };
}

/**
 * Figure 3: `TIMERS` runs due within the same minute, moved by their timers (shard alarm ->
 * workflows queue -> consumer). Baseline: the same path with five runs and nothing else due,
 * i.e. the alarm, the queue's batching wait and one advance: the floor of a timer's lateness.
 */
async function timerFigures(api: Api, c: pg.Client, s: Seeded): Promise<Figure[]> {
  const floor = await timerRun(api, c, s.few, 5, FLOOR_WAIT_SECONDS);
  log(
    `timers, floor: ${floor.advanced} of 5 advanced, late ${floor.late.map((x) => x.toFixed(2)).join(", ")} s`,
  );
  const big = await timerRun(api, c, s.timers, TIMERS, WAIT_SECONDS);
  const [p50, p99, max] = [quantile(big.late, 0.5), quantile(big.late, 0.99), big.late.at(-1) ?? 0];
  log(
    `timers: ${big.advanced} of ${TIMERS} advanced (due over ${big.spread.toFixed(1)} s, at ${big.dueTimes} distinct times); ` +
      `late min ${(big.late[0] ?? 0).toFixed(2)} s, p50 ${p50.toFixed(2)} s, p99 ${p99.toFixed(2)} s, max ${max.toFixed(2)} s`,
  );
  const floorP99 = quantile(floor.late, 0.99);
  const label = sizeLabel(TIMERS);
  return [
    figure(
      `workflows-timers-${label}-p99-late-s ${DB_TAG} (lower is better)`,
      p99,
      "s",
      "the same path with 5 runs due and nothing else (their latest), same Worker",
      floorP99,
    ),
    figure(
      `workflows-timers-${label}-p99-late-s-vs-target ${DB_TAG} (lower is better)`,
      p99,
      "s",
      "target 5 s",
      5,
    ),
    figure(
      `workflows-timers-${label}-p50-late-s ${DB_TAG} (lower is better)`,
      p50,
      "s",
      "the same path with 5 runs due (their median)",
      quantile(floor.late, 0.5),
    ),
    figure(
      `workflows-timers-${label}-advanced ${DB_TAG}`,
      big.advanced,
      "runs",
      `runs entered and waiting`,
      big.entered,
    ),
  ];
}

/**
 * Figures 3 and 4 on one Worker. Memory first: its million waiting runs stay while the timers
 * run, so the timers are measured beside them.
 */
export async function workerFigures(db: Scratch, s: Seeded): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), "edgepost-bench-workflows-"));
  const c = new pg.Client({ connectionString: db.url });
  c.on("error", () => undefined);
  const worker = await startWorker({
    persistTo: dir,
    snapshot: true,
    vars: {
      ...generateSecrets(),
      ENVIRONMENT: "test",
      DATABASE_URL: db.url,
      SMTP_URL: "smtp://127.0.0.1:9?security=none",
      APP_URL: "https://edgepost.bench.test",
    },
  });
  try {
    await c.connect();
    const api = await signIn(worker);
    const memory = await memoryFigure(worker, api, c);
    const timers = await timerFigures(api, c, s);
    return [...timers, memory];
  } finally {
    await worker.stop();
    await c.end().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

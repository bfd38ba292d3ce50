import { spawnSync } from "node:child_process";
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import pg from "pg";
import { newId } from "../../schema/columns";
import { applyMigrations } from "../lib/migrate";
import { freePort } from "../lib/net";
import { startPglite } from "../lib/pglite";
import { groupMemory, groupOf, memoryByName } from "../lib/proc-stats";
import { generateSecrets } from "../lib/secrets";
import { startWorker } from "../lib/worker";
import { type Bench, type Figure, figure } from "./harness";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const MB = 1024 * 1024;

interface Target {
  kind: "postgres" | "pglite";
  /** Database for the import through the Worker. */
  importUrl: string;
  /** Loads the COPY file into an empty, migrated subscribers table on the same server; seconds. */
  copy(file: string): Promise<number>;
  /** Our own database server process, when there is one (PGlite), for the memory figure. */
  serverPid?: number;
  stop(): Promise<void>;
}

async function writeLines(path: string, header: string | null, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  if (header) out.write(header);
  let buf = "";
  for (let i = 0; i < ROWS; i++) {
    buf += line(i);
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once("drain", () => r()));
      buf = "";
    }
  }
  out.write(buf);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

const CITIES = ["Oslo", "Lisbon", "Köln", "Paris, FR", "Rome"];
const city = (i: number) => CITIES[i % CITIES.length] ?? "";
const csvCity = (i: number) => (city(i).includes(",") ? `"${city(i)}"` : city(i));

/** The import file (email, name, 3 fields) and the same rows as COPY input (id, email, name, fields). */
async function generate(dir: string): Promise<{ csv: string; copy: string }> {
  const csv = join(dir, "import.csv");
  const copy = join(dir, "copy.csv");
  await writeLines(
    csv,
    "email,name,city,age,vip\n",
    (i) => `user${i}@bench${i % 97}.example.com,Person ${i},${csvCity(i)},${i % 90},${i % 2 === 0}\n`,
  );
  await writeLines(copy, null, (i) => {
    const fields = JSON.stringify({ city: city(i), age: i % 90, vip: i % 2 === 0 }).replace(/"/g, '""');
    return `${newId()},user${i}@bench${i % 97}.example.com,Person ${i},"${fields}"\n`;
  });
  return { csv, copy };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Scratch databases on the machine's Postgres (dropped after), or PGlite. */
async function target(): Promise<Target> {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (server) {
    const names = ["import", "copy"].map((k) => `edgepost_bench_${k}_${process.pid}`);
    const urls = names.map((n) => {
      const u = new URL(server);
      u.pathname = `/${n}`;
      return u.toString();
    });
    for (const [i, n] of names.entries()) {
      await adminQuery(server, `create database "${n}"`);
      await applyMigrations(urls[i] ?? "");
    }
    return {
      kind: "postgres",
      importUrl: urls[0] ?? "",
      async copy(file) {
        const t0 = performance.now();
        const r = spawnSync(
          "psql",
          [
            urls[1] ?? "",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            `\\copy subscribers (id, email, name, fields) from '${file}' with (format csv)`,
          ],
          { encoding: "utf8" },
        );
        if (r.status !== 0) throw new Error(`COPY failed: ${r.stderr}`);
        return (performance.now() - t0) / 1000;
      },
      async stop() {
        for (const n of names) await adminQuery(server, `drop database if exists "${n}" with (force)`);
      },
    };
  }
  const port = await freePort();
  const db = await startPglite({ dir: "memory://", port });
  await applyMigrations(db.url);
  return {
    kind: "pglite",
    importUrl: db.url,
    // PGlite's wire server has no COPY sub-protocol: COPY runs in an in-process PGlite instead.
    async copy(file) {
      const { PGlite } = await import("@electric-sql/pglite");
      const lite = new PGlite();
      const { MIGRATIONS_DIR } = await import("../lib/migrate");
      for (const f of readdirSync(MIGRATIONS_DIR)
        .filter((n) => n.endsWith(".sql"))
        .sort()) {
        for (const stmt of readFileSync(join(MIGRATIONS_DIR, f), "utf8").split("--> statement-breakpoint")) {
          if (stmt.trim()) await lite.exec(stmt);
        }
      }
      const blob = new Blob([readFileSync(file)]);
      const t0 = performance.now();
      await lite.query("copy subscribers (id, email, name, fields) from '/dev/blob' with (format csv)", [], {
        blob,
      });
      const s = (performance.now() - t0) / 1000;
      await lite.close();
      return s;
    },
    serverPid: pglitePid(port),
    stop: db.stop,
  };
}

/** The PGlite server process listening on `port` (found by its command line). */
function pglitePid(port: number): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (
        cmd.some((a) => a.endsWith("pglite-server.ts")) &&
        cmd.includes(String(port)) &&
        !cmd.some((a) => a.endsWith("tsx"))
      ) {
        return Number(entry);
      }
    } catch {
      // Gone.
    }
  }
  return undefined;
}

/**
 * Imports a generated 1,000,000-row CSV (email, name, 3 fields) into an empty database through
 * the real Worker (`wrangler dev`: streamed upload, chunks, the imports queue consumer) and
 * compares rows/s with Postgres COPY loading the same rows into the same server. Also reports the
 * peak memory of our processes (workerd, wrangler, and the PGlite server when it is used).
 */
export const importBench: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), "edgepost-bench-import-"));
  const db = await target();
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
  try {
    const files = await generate(dir);
    const size = statSync(files.csv).size;
    console.error(`import bench: ${ROWS} rows, ${(size / MB).toFixed(1)} MB CSV, database ${db.kind}`);
    await adminQuery(
      db.importUrl,
      `insert into fields (id, key, label, type) values
        ('${newId()}', 'city', 'City', 'text'), ('${newId()}', 'age', 'Age', 'number'), ('${newId()}', 'vip', 'VIP', 'boolean')`,
    );
    worker = await startWorker({
      persistTo: join(dir, "wrangler"),
      snapshot: true,
      vars: { ...generateSecrets(), ENVIRONMENT: "test", DATABASE_URL: db.importUrl },
    });
    const base = worker.url;
    const setup = await fetch(`${base}/api/v1/auth/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "bench@edgepost.test", password: "bench password 1", name: "Bench" }),
    });
    const { accessToken } = (await setup.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };

    // Resident memory by phase (idle, upload, applying), for finding where memory goes.
    const leader = worker.child.proc.pid ?? -1;
    const phases: Record<string, number> = {
      idle: memoryByName(leader, "VmRSS").get("workerd") ?? 0,
      upload: 0,
      apply: 0,
    };
    let phase: "upload" | "apply" = "upload";
    const sampler = setInterval(() => {
      phases[phase] = Math.max(phases[phase] ?? 0, memoryByName(leader, "VmRSS").get("workerd") ?? 0);
    }, 200);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/imports?filename=bench.csv`, {
      method: "POST",
      headers: { ...auth, "content-type": "text/csv", "content-length": String(size) },
      body: Readable.toWeb(createReadStream(files.csv)) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit);
    const created = (await res.json()) as { id: string };
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${JSON.stringify(created)}`);
    const uploadSeconds = (performance.now() - t0) / 1000;
    console.error(`import bench: upload accepted in ${uploadSeconds.toFixed(1)} s`);
    phase = "apply";
    let state: { status: string; processed: number; total: number; inserted: number; failed: number };
    // wrangler dev reloads the Worker when a source file changes (others edit this tree) and the
    // local queue loses the batch in flight; the resume route re-queues what is left, as an
    // operator would. Reported, so a run with a resume can be told apart.
    let lastProgress = { processed: -1, at: performance.now() };
    let resumes = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const poll = await fetch(`${base}/api/v1/imports/${created.id}`, { headers: auth });
      state = (await poll.json()) as typeof state;
      if (state.status === "done" || state.status === "failed") break;
      if (state.processed !== lastProgress.processed)
        lastProgress = { processed: state.processed, at: performance.now() };
      else if (performance.now() - lastProgress.at > 20_000) {
        resumes++;
        console.error(`import bench: no progress for 20 s at ${state.processed} rows; resuming`);
        await fetch(`${base}/api/v1/imports/${created.id}/resume`, { method: "POST", headers: auth });
        lastProgress = { processed: state.processed, at: performance.now() };
      }
    }
    if (resumes > 0) console.error(`import bench: ${resumes} resume(s) during this run`);
    const importSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    console.error(
      `import bench: largest workerd RSS ${Object.entries(phases)
        .map(([k, v]) => `${k} ${(v / MB).toFixed(0)} MB`)
        .join(", ")}`,
    );
    if (state.status !== "done" || state.inserted !== ROWS) {
      throw new Error(`import ended ${state.status}: ${JSON.stringify(state)}`);
    }
    const peaks = groupMemory(worker.child.proc.pid ?? -1, "VmHWM");
    if (db.serverPid)
      for (const [k, v] of groupMemory(groupOf(db.serverPid), "VmHWM")) peaks.set(`db:${k}`, v);
    console.error(
      `import bench: done in ${importSeconds.toFixed(1)} s; peak RSS ${[...peaks]
        .map(([k, v]) => `${k} ${(v / MB).toFixed(0)} MB`)
        .join(", ")}`,
    );
    await worker.stop();
    worker = null;

    const copySeconds = await db.copy(files.copy);
    console.error(`import bench: COPY of the same rows in ${copySeconds.toFixed(1)} s`);
    const workerd = Math.max(0, ...[...peaks].filter(([k]) => k.startsWith("workerd")).map(([, v]) => v));
    const dbServer = Math.max(0, ...[...peaks].filter(([k]) => k.startsWith("db:")).map(([, v]) => v));
    const anyOurs = Math.max(0, ...peaks.values());
    const figures: Figure[] = [
      figure(
        `import-rows-per-s (${db.kind})`,
        ROWS / importSeconds,
        "rows/s",
        "Postgres COPY, same rows, same server",
        ROWS / copySeconds,
      ),
      figure("import-peak-rss-workerd (lower is better)", workerd / MB, "MB", "target 256 MB", 256),
      figure("import-peak-rss-any-process (lower is better)", anyOurs / MB, "MB", "target 256 MB", 256),
      ...(dbServer > 0
        ? [
            figure(
              "import-peak-rss-pglite-server (lower is better)",
              dbServer / MB,
              "MB",
              "target 256 MB",
              256,
            ),
          ]
        : []),
    ];
    return figures;
  } finally {
    await worker?.stop();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

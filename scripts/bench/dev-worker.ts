import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, waitFor } from "../lib/net";
import { startChild } from "../lib/proc";
import { NODE22, ROOT } from "../lib/worker";

/**
 * Workers served by workerd for the tracking bench: any config (the empty Worker's), or
 * Edgepost's own config less its events consumer (`trackingConfig`), with the CPU they use.
 */

export interface DevWorker {
  port: number;
  /** CPU seconds used so far by the serving processes (Node and workerd; 0 where /proc is missing). */
  cpu(): number;
  stop(): Promise<void>;
}

/**
 * A Worker served by one workerd process (Miniflare, as `wrangler dev` runs it, but without the
 * proxy workerd that `wrangler dev` puts in front): the bundle `wrangler deploy --dry-run` makes
 * from `config`, with that config's bindings, assets and routing (scripts/bench/serve-workerd.mjs).
 */
export async function startWorkerd(
  config: string,
  dir: string,
  vars: Record<string, string>,
): Promise<DevWorker> {
  const bundle = join(dir, "bundle");
  const build = startChild(
    NODE22,
    [
      join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
      "deploy",
      "--dry-run",
      "--config",
      config,
      "--outdir",
      bundle,
    ],
    { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", FORCE_COLOR: "0" } },
  );
  const code = await new Promise<number | null>((resolve) => build.proc.once("exit", resolve));
  if (code !== 0) throw new Error(`wrangler deploy --dry-run ${config} failed: ${build.tail()}`);
  const port = await freePort();
  const envFile = join(dir, "worker.env");
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join("\n"),
    { mode: 0o600 },
  );
  const pin = process.env.BENCH_WORKERD_CPU;
  const child = startChild(
    pin ? "taskset" : NODE22,
    [
      ...(pin ? ["-c", pin, NODE22] : []),
      join(ROOT, "scripts/bench/serve-workerd.mjs"),
      config,
      bundle,
      String(port),
      envFile,
      join(dir, "state"),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        MINIFLARE_WORKERD_V8_FLAGS:
          process.env.MINIFLARE_WORKERD_V8_FLAGS ?? "--max-old-space-size=128 --max-semi-space-size=2",
      },
    },
  );
  try {
    await waitFor(
      `workerd ${config}`,
      async () => (await fetch(`http://127.0.0.1:${port}/o/ready`)).ok,
      120_000,
      () => (child.proc.exitCode !== null ? `serve-workerd exited: ${child.tail()}` : null),
    );
  } catch (err) {
    // A server that never answered is not left running behind the failed bench.
    await child.stop(2000);
    throw err;
  }
  const pgid = child.proc.pid ?? 0;
  return { port, cpu: () => groupCpuSeconds(pgid), stop: () => child.stop(8000) };
}

/**
 * Edgepost's own wrangler.toml and source, copied under `dir` (so edits to the tree cannot reload
 * it mid-run), less the events queue's consumer: in production the consumer runs in invocations
 * of its own, elsewhere, while here it would share these two cores with the
 * requests being measured. The producer side, `EVENTS_QUEUE.send` on every request, stays.
 * (Local queues drop messages that have no consumer, so nothing piles up.)
 */
export function trackingConfig(dir: string): string {
  const src = join(dir, "src");
  for (const name of ["workers", "schema"]) cpSync(join(ROOT, name), join(src, name), { recursive: true });
  for (const file of ["package.json", "tsconfig.json"]) cpSync(join(ROOT, file), join(src, file));
  symlinkSync(join(ROOT, "node_modules"), join(src, "node_modules"), "dir");
  mkdirSync(join(dir, "assets"), { recursive: true });
  writeFileSync(join(dir, "assets/index.html"), "<!doctype html><title>bench</title>");
  const config = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
    .replace(/^#:schema .*$/m, "")
    .replace(/^main = "([^"]+)"/m, (_, main: string) => `main = ${JSON.stringify(join(src, main))}`)
    .replace(/^directory = "([^"]+)"/m, () => `directory = ${JSON.stringify(join(dir, "assets"))}`)
    .replace(/\[\[queues\.consumers\]\]\nqueue = "edgepost-events"\n(?:[^\n[]+\n)*/, "");
  if (config.includes('queue = "edgepost-events"\nmax_batch'))
    throw new Error("events consumer still configured");
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, config);
  return path;
}

/** CPU seconds (user + system) of every process in process group `pgid`, from /proc. */
function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // The process ended while we looked.
      }
    }
  } catch {
    return 0;
  }
  return ticks / 100;
}

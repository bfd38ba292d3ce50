import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, waitFor } from "../lib/net";
import { startChild } from "../lib/proc";
import { NODE22, ROOT } from "../lib/worker";

/**
 * Workers under `wrangler dev` for the tracking bench: any config (the empty Worker's), or
 * Edgepost's own config less its events consumer (`trackingConfig`), with the CPU they use.
 */

export interface DevWorker {
  port: number;
  /** CPU seconds used so far by wrangler and its workerd processes (0 where /proc is missing). */
  cpu(): number;
  stop(): Promise<void>;
}

/** A Worker under `wrangler dev` with `config`, started as startWorker starts Edgepost. */
export async function startDev(
  config: string,
  dir: string,
  vars: Record<string, string>,
): Promise<DevWorker> {
  const port = await freePort();
  const envFile = join(dir, "worker.env");
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join("\n"),
    {
      mode: 0o600,
    },
  );
  const child = startChild(
    NODE22,
    [
      join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
      "dev",
      "--config",
      config,
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(await freePort()),
      "--persist-to",
      dir,
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CI: "1",
        FORCE_COLOR: "0",
        // The isolate settings startWorker gives Edgepost (scripts/lib/worker.ts).
        MINIFLARE_WORKERD_V8_FLAGS:
          process.env.MINIFLARE_WORKERD_V8_FLAGS ?? "--max-old-space-size=128 --max-semi-space-size=2",
      },
    },
  );
  await waitFor(
    `wrangler dev ${config}`,
    async () => (await fetch(`http://127.0.0.1:${port}/o/ready`)).ok,
    120_000,
    () => (child.proc.exitCode !== null ? `wrangler exited: ${child.tail()}` : null),
  );
  const pgid = child.proc.pid ?? 0;
  return { port, cpu: () => groupCpuSeconds(pgid), stop: () => child.stop(8000) };
}

/**
 * Edgepost's own wrangler.toml and source, copied under `dir` (so edits to the tree cannot reload
 * it mid-run), less the events queue's consumer: in production the consumer runs in invocations
 * of its own, elsewhere, while under `wrangler dev` it would share these two cores with the
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

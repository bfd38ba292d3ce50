import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { inputsHash } from "./digest";
import { freePort, waitFor } from "./net";
import { type Child, startChild } from "./proc";

export const ROOT = new URL("../..", import.meta.url).pathname;

export interface WorkerOptions {
  port?: number;
  /** Where wrangler keeps Durable Object, queue, R2 (uploaded images) and cache state. */
  persistTo: string;
  /** Vars and secrets for the Worker (written to an env file, not the command line). */
  vars: Record<string, string>;
  log?: (line: string) => void;
  /** wrangler's `--log-level`: "warn" (default) hides the Worker's console.log, "log" shows it. */
  logLevel?: "warn" | "log";
  /** Wait for /healthz to answer 200 (needs a reachable database). */
  waitHealthy?: boolean;
  /**
   * Run the Worker bundled once as `wrangler deploy` would upload it (`workerBundle`) and a private
   * copy of `dashboard/dist` (under `persistTo`), instead of the live tree. wrangler reloads the Worker when its source or assets change, and a reload
   * drops the local queues' in-memory messages: test stacks and benches must not be reloaded by
   * someone editing the tree or rebuilding the dashboard (the dev-launcher test does).
   */
  snapshot?: boolean;
}

/**
 * V8 settings for workerd's isolates, close to a deployed Worker's: a Worker is limited to 128 MB,
 * so locally too an isolate that outgrows that fails instead of passing. The small young
 * generation (V8's default grows it to 16 MB per semi-space in every isolate) keeps resident memory
 * near what is live: an import of 1,000,000 rows peaks at about 215 MB of workerd RSS instead of
 * 320 MB, at the same speed (BENCHMARKS.md).
 */
const WORKERD_V8_FLAGS = "--max-old-space-size=128 --max-semi-space-size=2";

/** The project's own Node 22 (the `node` package); wrangler refuses the machine's Node 20. */
export const NODE22 = existsSync(join(ROOT, "node_modules/node/bin/node"))
  ? join(ROOT, "node_modules/node/bin/node")
  : process.execPath;

/** The folders the Worker bundle is built from (workers/ imports schema/ by relative paths). */
const SOURCE_DIRS = ["workers", "schema"];
/** Where built bundles are kept, one folder per source digest. */
const BUNDLES = join(ROOT, ".test-tmp/worker-bundles");

/**
 * The Worker bundled as `wrangler deploy` would upload it (`--dry-run --outdir`), built once per
 * source digest and kept under .test-tmp: every test stack and bench runs this one file with
 * `no_bundle`, instead of each wrangler bundling the same source again (69 esbuild runs, about
 * 2 minutes of CPU in a pass of `npm test`). Racing builders each write a folder of their own and
 * rename it into place; any of them is right. Returns the bundle's entry file.
 */
export function workerBundle(): string {
  // Everything the bundle is made of: the Worker's source, its config and its dependencies.
  const digest = inputsHash(ROOT, [
    ...SOURCE_DIRS,
    "wrangler.toml",
    "package-lock.json",
    "tsconfig.json",
  ]).slice(0, 16);
  const dir = join(BUNDLES, digest);
  const entry = join(dir, "index.js");
  if (existsSync(entry)) return entry;
  const partial = `${dir}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  const res = spawnSync(NODE22, [wrangler, "deploy", "--dry-run", "--outdir", partial], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0", CI: "1" },
  });
  if (res.status !== 0 || !existsSync(join(partial, "index.js"))) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`Bundling the Worker failed (wrangler deploy --dry-run):\n${res.stdout}\n${res.stderr}`);
  }
  try {
    renameSync(partial, dir);
  } catch {
    // Another builder renamed its copy first: same digest, same bundle.
    rmSync(partial, { recursive: true, force: true });
  }
  for (const old of readdirSync(BUNDLES).filter((name) => name !== digest && !name.endsWith(".partial"))) {
    rmSync(join(BUNDLES, old), { recursive: true, force: true });
  }
  return entry;
}

/**
 * Writes a wrangler.toml under `dir` that runs the prebuilt bundle (`no_bundle`) with a private
 * copy of the dashboard's assets; returns that config's path. Neither an edit of the tree nor a
 * rebuild of the dashboard reloads a Worker started from it.
 */
function snapshotConfig(dir: string): string {
  const bundle = workerBundle();
  // A copy: a later build with other sources prunes this bundle's folder while the stack runs.
  const src = join(dir, "src");
  mkdirSync(src, { recursive: true });
  cpSync(bundle, join(src, "index.js"));
  const assets = join(dir, "assets");
  const dist = join(ROOT, "dashboard/dist");
  if (existsSync(dist)) cpSync(dist, assets, { recursive: true });
  else mkdirSync(assets, { recursive: true });
  const config = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
    .replace(/^main = "([^"]+)"/m, () => `main = ${JSON.stringify(join(src, "index.js"))}\nno_bundle = true`)
    .replace(/^directory = "([^"]+)"/m, () => `directory = ${JSON.stringify(assets)}`)
    .replace(/^#:schema .*$/m, "")
    // Test stacks have the (simulated) Email Service binding that deploys may leave commented out.
    .replace(/^# (\[\[send_email\]\])\n# (name = "EMAIL")$/m, "$1\n$2");
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, config);
  return path;
}

export interface RunningWorker {
  url: string;
  port: number;
  /** The DevTools protocol port (CPU profiles, heap usage). */
  inspectorPort: number;
  child: Child;
  stop(): Promise<void>;
}

/** Runs the Worker under `wrangler dev` (workerd, the production runtime) and waits until it answers. */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const port = opts.port ?? (await freePort());
  const inspector = await freePort();
  mkdirSync(opts.persistTo, { recursive: true });
  const envFile = join(opts.persistTo, "worker.env");
  writeFileSync(
    envFile,
    Object.entries(opts.vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join("\n"),
    { mode: 0o600 },
  );
  const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  const config = opts.snapshot ? ["--config", snapshotConfig(opts.persistTo)] : [];
  const child = startChild(
    NODE22,
    [
      wrangler,
      "dev",
      ...config,
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(inspector),
      "--persist-to",
      opts.persistTo,
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
      "--log-level",
      opts.logLevel ?? "warn",
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CI: process.env.CI ?? "1",
        FORCE_COLOR: "0",
        // Each Worker its own dev registry: wrangler dev watches the shared one (~/.config/.wrangler)
        // and reloads when any other `wrangler dev` starts or stops, and a reload drops the local
        // queues' in-memory messages. Test stacks, benches and the dev launcher run side by side.
        WRANGLER_REGISTRY_PATH: join(opts.persistTo, "registry"),
        MINIFLARE_WORKERD_V8_FLAGS: process.env.MINIFLARE_WORKERD_V8_FLAGS ?? WORKERD_V8_FLAGS,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-semi-space-size=2`.trim(),
      },
      onLine: opts.log,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      "the Worker to answer",
      async () => {
        const res = await fetch(`${url}/healthz`);
        return opts.waitHealthy === false ? res.status > 0 : res.status === 200;
      },
      120_000,
      () => (child.proc.exitCode !== null ? `wrangler exited with code ${child.proc.exitCode}` : null),
    );
  } catch (err) {
    await child.stop();
    throw new Error(`The Worker did not start: ${(err as Error).message}\n${child.tail()}`);
  }
  return { url, port, inspectorPort: inspector, child, stop: () => child.stop(8000) };
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "../../../scripts/lib/net";
import { startChild } from "../../../scripts/lib/proc";
import { NODE22, ROOT } from "../../../scripts/lib/worker";

export interface Harness {
  url: string;
  post<T>(path: string, body: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts the SMTP harness Worker under `wrangler dev` (as scripts/lib/worker.ts does for the app).
 * `caFile` goes to NODE_EXTRA_CA_CERTS, which wrangler hands to workerd as a trusted CA.
 */
export async function startHarness(opts: { caFile?: string } = {}): Promise<Harness> {
  const port = await freePort();
  const inspector = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "edgepost-smtp-harness-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    CI: "1",
    FORCE_COLOR: "0",
  };
  if (opts.caFile) env.NODE_EXTRA_CA_CERTS = opts.caFile;
  const child = startChild(
    NODE22,
    [
      join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
      "dev",
      "--config",
      join(ROOT, "tests/workers/smtp-harness/wrangler.toml"),
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(inspector),
      "--persist-to",
      dir,
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ],
    { cwd: ROOT, env, onLine: process.env.STACK_LOG ? (l) => console.log(`[harness] ${l}`) : undefined },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await child.stop(5000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      "the SMTP harness Worker",
      async () => {
        if (child.proc.exitCode !== null) throw new Error("wrangler exited");
        return (await fetch(`${url}/healthz`)).status === 200;
      },
      120_000,
    );
  } catch (err) {
    const tail = child.tail();
    await stop();
    throw new Error(`The harness did not start: ${(err as Error).message}\n${tail}`);
  }
  return {
    url,
    async post<T>(path: string, body: unknown): Promise<T> {
      const res = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as T;
    },
    stop,
  };
}

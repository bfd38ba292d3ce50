import { join } from "node:path";
import pg from "pg";
import { isListening, waitFor } from "./net";
import { type Child, startChild } from "./proc";

const ROOT = new URL("../..", import.meta.url).pathname;

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (Postgres in WASM) on the Postgres wire protocol in a child process. `dir` keeps
 * the data between runs; `memory://` keeps nothing. Clients take turns statement by statement
 * (see scripts/pglite-server.ts), so concurrent connections are safe.
 */
export async function startPglite(opts: {
  dir: string;
  port: number;
  log?: (line: string) => void;
  /** A data directory dump to start from (in memory; `dir` is ignored). */
  load?: string;
}) {
  if (await isListening(opts.port)) {
    throw new Error(
      `Port ${opts.port} is already in use: is another Edgepost dev server running? Stop it, or set PGLITE_PORT.`,
    );
  }
  const tsx = join(ROOT, "node_modules/.bin/tsx");
  const server = join(ROOT, "scripts/pglite-server.ts");
  const load = opts.load ? ["--load", opts.load] : [];
  const child: Child = startChild(tsx, [server, "--db", opts.dir, "--port", String(opts.port), ...load], {
    onLine: opts.log,
  });
  const url = pgliteUrl(opts.port);
  try {
    await waitFor(
      "PGlite to accept connections",
      () => canQuery(url),
      120_000,
      () =>
        child.proc.exitCode !== null || child.proc.signalCode !== null ? "the PGlite server exited" : null,
    );
  } catch (err) {
    await child.stop();
    throw new Error(`PGlite did not start: ${(err as Error).message}\n${child.tail()}`);
  }
  return { url, stop: () => child.stop(10_000) } satisfies EmbeddedPostgres;
}

/** The address of the PGlite server on `port`. */
export const pgliteUrl = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

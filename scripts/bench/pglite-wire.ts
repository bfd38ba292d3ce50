import { join } from "node:path";
import pg from "pg";
import { freePort, waitFor } from "../lib/net";
import { startPglite } from "../lib/pglite";
import { startChild } from "../lib/proc";
import { ROOT } from "../lib/worker";
import { type Bench, figure, throughput } from "./harness";

/** Parameterised queries per second through one connection: the extended protocol path drizzle uses. */
async function queriesPerSecond(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("create table if not exists bench_kv (k int primary key, v text)");
  await client.query(
    "insert into bench_kv select g, md5(g::text) from generate_series(1, 1000) g on conflict do nothing",
  );
  let i = 0;
  const qps = await throughput(
    () => client.query("select v from bench_kv where k = $1", [(i++ % 1000) + 1]),
    5,
    1,
  );
  await client.end();
  return qps;
}

/**
 * Our PGlite wire server (which serialises clients per statement, so concurrent connections are
 * safe) against @electric-sql/pglite-socket's own server on one connection, where both are correct.
 */
export const pgliteWire: Bench = async () => {
  const ours = await startPglite({ dir: "memory://", port: await freePort() });
  const oursQps = await queriesPerSecond(ours.url).finally(() => ours.stop());

  const port = await freePort();
  const socketServer = join(ROOT, "node_modules/@electric-sql/pglite-socket/dist/scripts/server.js");
  const theirs = startChild(process.execPath, [socketServer, "-d", "memory://", "-p", String(port)]);
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  await waitFor("pglite-socket", async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.end();
    return true;
  });
  const theirsQps = await queriesPerSecond(url).finally(() => theirs.stop());
  return [figure("pglite-wire-qps", oursQps, "queries/s", "@electric-sql/pglite-socket server", theirsQps)];
};

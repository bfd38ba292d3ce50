import pg from "pg";
import { applyMigrations } from "../../scripts/lib/migrate";
import { freePort } from "../../scripts/lib/net";
import { pgliteUrl, startPglite } from "../../scripts/lib/pglite";
import { pgliteTemplate } from "../../scripts/lib/pglite-template";

export interface TestDatabase {
  url: string;
  kind: "pglite" | "postgres";
  stop(): Promise<void>;
}

/**
 * A new, empty, migrated database for one test stack: a fresh database on the server named by
 * DATABASE_URL (dropped afterwards, the named database itself is never touched), or else an
 * in-memory PGlite served on the wire protocol, started from a migrated template.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await prepareTestDatabase();
  await db.ready;
  return db;
}

/**
 * The same, with its address known before it exists: `ready` settles once it takes connections
 * (a stack starts its Worker meanwhile). After a failed `ready` there is nothing to stop.
 */
export async function prepareTestDatabase(): Promise<TestDatabase & { ready: Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // From a migrated template: no initdb, no migrations (scripts/lib/pglite-template.ts).
    const port = await freePort();
    const started = pgliteTemplate().then((load) => startPglite({ dir: "memory://", port, load }));
    return {
      url: pgliteUrl(port),
      kind: "pglite",
      ready: started.then(() => undefined),
      stop: async () => (await started.catch(() => null))?.stop(),
    };
  }
  const name = `edgepost_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const ready = adminQuery(serverUrl, `create database "${name}"`).then(() =>
    applyMigrations(url.toString()),
  );
  return {
    url: url.toString(),
    kind: "postgres",
    ready,
    stop: async () => {
      await ready.catch(() => undefined);
      await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

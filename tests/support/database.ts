import pg from "pg";
import { applyMigrations } from "../../scripts/lib/migrate";
import { freePort } from "../../scripts/lib/net";
import { startPglite } from "../../scripts/lib/pglite";
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
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // From a migrated template: no initdb, no migrations (scripts/lib/pglite-template.ts).
    const pglite = await startPglite({
      dir: "memory://",
      port: await freePort(),
      load: await pgliteTemplate(),
    });
    return { url: pglite.url, kind: "pglite", stop: pglite.stop };
  }
  const name = `edgepost_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return {
    url: url.toString(),
    kind: "postgres",
    stop: () => adminQuery(serverUrl, `drop database if exists "${name}" with (force)`),
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

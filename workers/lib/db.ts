import { Pool as NeonPool, neonConfig } from "@neondatabase/serverless";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { drizzle as drizzleNeon } from "drizzle-orm/neon-serverless";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import pg from "pg";
import * as schema from "../../schema";
import { addCork } from "./pg-cork";

export type Schema = typeof schema;
/** A drizzle handle on either driver; transactions are handles too. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface DbConnection {
  db: Database;
  /** Closes the connection; call once the request or job is done. */
  close(): Promise<void>;
}

/** Neon hosts speak Postgres over WebSockets; everything else is plain TCP. */
export function isNeonUrl(url: string, driver?: string): boolean {
  if (driver) return driver === "neon";
  try {
    return new URL(url).hostname.endsWith(".neon.tech");
  } catch {
    return false;
  }
}

export interface DbOptions {
  /** Force a driver: "neon" (WebSocket) or "pg" (TCP). Default: by host name. */
  driver?: string;
  /** For tests and self-hosting behind a WebSocket-to-TCP proxy: `host:port` of the proxy. */
  neonWsProxy?: string;
}

/**
 * Opens a database handle for one request or one job. Never cache the result in global scope:
 * Workers may not reuse I/O objects across requests.
 */
export function openDb(url: string, options: DbOptions = {}): DbConnection {
  if (isNeonUrl(url, options.driver)) {
    if (options.neonWsProxy) {
      const proxy = options.neonWsProxy;
      // The proxy learns which Postgres to reach from `address`, as Neon's own proxy does.
      neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
      neonConfig.useSecureWebSocket = false;
      neonConfig.pipelineConnect = false;
    }
    const pool = new NeonPool({ connectionString: url, max: 1 });
    return { db: drizzleNeon({ client: pool, schema }), close: () => pool.end() };
  }
  // A pool of one, not a bare Client: a refused or silent server then fails each query with an
  // error (a bare Client leaves queued queries pending forever, and the runtime kills the request).
  // No idle timeout: the handle lives for one request or job and is closed by its owner, and
  // pg-pool would otherwise arm (and clear) a timer around every single query.
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 0,
  });
  pool.on("error", () => undefined);
  // In workerd the socket is pg-cloudflare's: coalesce each query's messages into one write.
  pool.on("connect", (client) => {
    const stream = (client as unknown as { connection?: { stream?: unknown } }).connection?.stream;
    if (stream && typeof navigator !== "undefined" && navigator.userAgent === "Cloudflare-Workers") {
      addCork(stream as Parameters<typeof addCork>[0]);
    }
  });
  let closed = false;
  return {
    db: drizzlePg({ client: pool, schema }),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
    },
  };
}

/** The Worker's database, as its bindings name it: one handle per request or job. */
export function openDbFor(env: {
  DATABASE_URL: string;
  DATABASE_DRIVER?: string;
  NEON_WS_PROXY?: string;
}): DbConnection {
  return openDb(env.DATABASE_URL, { driver: env.DATABASE_DRIVER, neonWsProxy: env.NEON_WS_PROXY });
}

/** How many rows a raw SQL statement changed (both drivers report `rowCount`). */
export async function affectedRows(db: Database, query: SQL): Promise<number> {
  const result = (await db.execute(query)) as unknown as { rowCount: number | null };
  return result.rowCount ?? 0;
}

/** Rows of a raw SQL statement, the same on both drivers (each returns a result with `rows`). */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

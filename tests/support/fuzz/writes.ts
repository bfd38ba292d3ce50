import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../workers/lib/db";

/** Tables a refused request must leave alone (those that exist: the schema may grow). */
const WATCHED = [
  "subscribers",
  "list_memberships",
  "lists",
  "templates",
  "template_versions",
  "campaigns",
  "campaign_variants",
  "segments",
  "suppressions",
  "users",
  "api_keys",
  "webhooks",
  "relays",
  "domains",
  "fields",
  "imports",
  "settings",
  "assets",
  "audit_logs",
];

/** Per watched table: `<row count>@<latest updated_at>` (or the count alone). */
export type Snapshot = Record<string, string>;

/** The tables whose snapshot differs, as `table before -> after`; audit_logs left out when asked. */
export function changes(a: Snapshot, b: Snapshot, exceptAudit = false): string[] {
  return Object.keys(a)
    .filter((t) => a[t] !== b[t] && !(exceptAudit && t === "audit_logs"))
    .map((t) => `${t} ${a[t]} -> ${b[t]}`);
}

/**
 * Watches what requests write: a count and the latest update time of each main table (an insert,
 * a delete or an update of any row moves one), and the audit rows of one request id. One query.
 */
export async function watchWrites(db: Database) {
  const cols = await queryRows<{ table_name: string; has_updated: boolean }>(
    db,
    sql`select table_name, bool_or(column_name = 'updated_at') as has_updated
      from information_schema.columns where table_schema = 'public' and table_name in ${WATCHED}
      group by table_name order by table_name`,
  );
  const columns = sql.join(
    cols.map(({ table_name: t, has_updated }) =>
      sql.raw(
        has_updated
          ? `(select count(*) || '@' || coalesce(max(updated_at)::text, '') from "${t}") as "${t}"`
          : `(select count(*) from "${t}") as "${t}"`,
      ),
    ),
    sql`, `,
  );

  async function snapshot(requestId = ""): Promise<{ tables: Snapshot; audited: string[] }> {
    const [row] = await queryRows<Snapshot & { audited: string | null }>(
      db,
      sql`select ${columns},
        (select string_agg(action, ',') from audit_logs where request_id = ${requestId}) as audited`,
    );
    const { audited, ...tables } = row ?? { audited: null };
    return { tables, audited: audited ? audited.split(",") : [] };
  }

  /** Waits until background work of a success (queues, waitUntil) stops moving the tables. */
  async function settled(): Promise<Snapshot> {
    let last = (await snapshot()).tables;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const now = (await snapshot()).tables;
      if (changes(last, now).length === 0) return now;
      last = now;
    }
    return last;
  }

  return { snapshot, settled };
}

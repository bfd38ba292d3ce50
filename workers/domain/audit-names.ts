import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../lib/db";
import type { AuditRow } from "./audit";

/**
 * The names an audit page shows instead of ids: each actor's current name (a user's name, an API
 * key's) and each entity's (a campaign's, a list's, a subscriber's address…), read for a whole
 * page in one statement. A deleted record keeps the name its own audit row recorded.
 */

/** Entity kind -> the table and the column that names a row of it. */
const NAMED: Record<string, { table: string; name: string }> = {
  campaign: { table: "campaigns", name: "name" },
  template: { table: "templates", name: "name" },
  list: { table: "lists", name: "name" },
  segment: { table: "segments", name: "name" },
  workflow: { table: "workflows", name: "name" },
  field: { table: "fields", name: "label" },
  relay: { table: "relays", name: "name" },
  domain: { table: "domains", name: "domain" },
  import: { table: "imports", name: "filename" },
  subscriber: { table: "subscribers", name: "email" },
  user: { table: "users", name: "name" },
  api_key: { table: "api_keys", name: "name" },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditNames {
  actorName: string | null;
  entityName: string | null;
}

/** Each row with `actorName` and `entityName` (null where nothing names it). */
export async function withAuditNames<T extends AuditRow>(
  db: Database,
  rows: T[],
): Promise<(T & AuditNames)[]> {
  const wanted = new Map<string, Set<string>>();
  const want = (kind: string, id: string | null) => {
    if (!id || !UUID.test(id) || !NAMED[kind]) return;
    wanted.set(kind, (wanted.get(kind) ?? new Set()).add(id));
  };
  for (const row of rows) {
    if (row.actorType === "user" || row.actorType === "api_key") want(row.actorType, row.actorId);
    want(row.entity, row.entityId);
  }
  const names = await lookUp(db, wanted);
  return rows.map((row) => ({
    ...row,
    actorName: (row.actorId && names.get(`${row.actorType}:${row.actorId}`)) || row.actorLabel,
    entityName: (row.entityId && names.get(`${row.entity}:${row.entityId}`)) || recordedName(row),
  }));
}

async function lookUp(db: Database, wanted: Map<string, Set<string>>): Promise<Map<string, string>> {
  const parts: SQL[] = [];
  for (const [kind, ids] of wanted) {
    const { table, name } = NAMED[kind] ?? {};
    if (!table || !name) continue;
    parts.push(sql`select ${kind}::text as kind, id::text as id, ${sql.identifier(name)}::text as name
      from ${sql.identifier(table)} where id = any(${`{${[...ids].join(",")}}`}::uuid[])`);
  }
  if (parts.length === 0) return new Map();
  const rows = await queryRows<{ kind: string; id: string; name: string | null }>(
    db,
    sql.join(parts, sql` union all `),
  );
  return new Map(rows.filter((r) => r.name).map((r) => [`${r.kind}:${r.id}`, r.name ?? ""]));
}

/** The name in the row's own diff (a deleted list's `before.name`), if it has one. */
function recordedName(row: AuditRow): string | null {
  const sides = [row.diff?.after, row.diff?.before];
  for (const side of sides) {
    if (!side || typeof side !== "object") continue;
    const record = side as Record<string, unknown>;
    for (const key of ["name", "label", "domain", "email", "filename"]) {
      const value = record[key];
      if (typeof value === "string" && value !== "[erased]" && value.length > 0) return value;
    }
  }
  return null;
}

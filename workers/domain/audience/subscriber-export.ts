import { and, getTableColumns, sql } from "drizzle-orm";
import { subscribers } from "../../../schema/subscribers";
import type { SubscriberExportQuery } from "../../contract/audience";
import { exportCsvLine } from "../../lib/csv";
import type { Database } from "../../lib/db";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import { loadFieldDefs } from "./field-values";
import { subscriberKeyset } from "./subscriber-sort";
import { filtersOf } from "./subscribers";

/** Rows read per query while streaming: memory stays one page, whatever the filter matches. */
export const EXPORT_PAGE_ROWS = 1000;

/**
 * Records that a filter's subscribers are being downloaded (personal data leaving the system), in
 * one audit row written before any row is sent; checks the filters first so a bad one is a 400.
 */
export async function recordSubscriberExport(
  { db, actor }: DomainContext,
  q: SubscriberExportQuery,
): Promise<void> {
  await filtersOf(db, q);
  subscriberKeyset(q);
  const filters = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
  await db.transaction((tx) =>
    emitAudit(tx, actor, { action: "subscriber.export", entity: "subscriber", after: { filters } }),
  );
}

/** Lists a subscriber is on (not unsubscribed from), by name. */
const listNames = sql<string | null>`(select string_agg(l.name, '; ' order by l.name)
  from list_memberships m join lists l on l.id = m.list_id
  where m.subscriber_id = "subscribers"."id" and m.status <> 'unsubscribed')`;

/**
 * The filter's subscribers as CSV lines, a page at a time in the list's own order: email, name,
 * status, lists, created_at, updated_at, then one column per custom field (its key, so the file
 * imports back with the default mapping). Every cell goes through the formula neutraliser.
 */
export async function* subscriberCsv(db: Database, q: SubscriberExportQuery): AsyncGenerator<string> {
  const keys = [...(await loadFieldDefs(db)).keys()];
  const where = await filtersOf(db, q);
  yield exportCsvLine(["email", "name", "status", "lists", "created_at", "updated_at", ...keys]);
  let cursor: string | undefined;
  for (;;) {
    const keyset = subscriberKeyset({ ...q, cursor });
    const rows = await db
      .select({ ...getTableColumns(subscribers), sortKey: keyset.text, lists: listNames })
      .from(subscribers)
      .where(and(...where, keyset.after))
      .orderBy(...keyset.orderBy)
      .limit(EXPORT_PAGE_ROWS);
    if (rows.length > 0) yield rows.map((row) => csvRow(row, keys)).join("");
    const last = rows.at(-1);
    if (!last || rows.length < EXPORT_PAGE_ROWS) return;
    cursor = keyset.cursorFor(last);
  }
}

function csvRow(row: typeof subscribers.$inferSelect & { lists: string | null }, keys: string[]): string {
  return exportCsvLine([
    row.email,
    row.name ?? "",
    row.status,
    row.lists ?? "",
    row.createdAt.toISOString(),
    row.updatedAt.toISOString(),
    ...keys.map((key) => cellOf(row.fields[key])),
  ]);
}

function cellOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

import { type AnyColumn, asc, desc, type SQL, sql } from "drizzle-orm";
import { SUBSCRIBER_STATUSES, subscribers } from "../../../schema/subscribers";
import type { SubscriberSort } from "../../contract/audience";
import { AppError } from "../../lib/errors";
import { decodeCursor, decodeSortCursor, encodeCursor, encodeSortCursor, isSortCursor } from "../pagination";

/**
 * One way of ordering the subscriber list, with its keyset: the sort value as text (what the
 * cursor carries) and a check of that text before it reaches SQL, so a tampered cursor is a 400.
 * Each has an index in migration 0008 (or an older one) that serves both directions.
 */
interface SortSpec {
  /** The ordering expression; the cursor compares against it. */
  key: SQL;
  /** The expression as text, read back for the cursor. */
  text: SQL<string>;
  /** The cursor's text as a value of the key's type (checked by `valid` first). */
  value: (k: string) => SQL;
  valid: (k: string) => boolean;
  /** Unique keys need no id tie-break (lower(email) is unique). */
  unique: boolean;
  defaultOrder: "asc" | "desc";
}

/** Postgres' text form of a timestamptz (with its offset, so it reads back the same instant). */
const PG_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

const timeSort = (column: AnyColumn): SortSpec => ({
  key: sql`${column}`,
  text: sql<string>`${column}::text`,
  value: (k) => sql`${k}::timestamptz`,
  valid: (k) => PG_TIME.test(k),
  unique: false,
  defaultOrder: "desc",
});

const SORTS: Record<SubscriberSort, SortSpec> = {
  email: {
    key: sql`lower(${subscribers.email})`,
    text: sql<string>`lower(${subscribers.email})`,
    value: (k) => sql`${k}`,
    valid: (k) => k.length <= 320,
    unique: true,
    defaultOrder: "asc",
  },
  // No name sorts as the empty name: first ascending, last descending; one keyset for both.
  name: {
    key: sql`coalesce(lower(${subscribers.name}), '')`,
    text: sql<string>`coalesce(lower(${subscribers.name}), '')`,
    value: (k) => sql`${k}`,
    valid: (k) => k.length <= 200,
    unique: false,
    defaultOrder: "asc",
  },
  // Enum order: active, unsubscribed, bounced, complained, blocklisted.
  status: {
    key: sql`${subscribers.status}`,
    text: sql<string>`${subscribers.status}::text`,
    value: (k) => sql`${k}::subscriber_status`,
    valid: (k) => (SUBSCRIBER_STATUSES as readonly string[]).includes(k),
    unique: false,
    defaultOrder: "asc",
  },
  createdAt: timeSort(subscribers.createdAt),
  updatedAt: timeSort(subscribers.updatedAt),
};

/** How one page is read: after which row, in which order, and how to make the next cursor. */
export interface SubscriberKeyset {
  /** Condition for the rows after the cursor (undefined on the first page). */
  after: SQL | undefined;
  orderBy: SQL[];
  /** The sort value of each row as text, selected beside the row for the next cursor. */
  text: SQL<string>;
  cursorFor: (row: { id: string; sortKey: string }) => string;
}

/**
 * The keyset of a subscriber page. Without `sort`, newest first by id (UUIDv7) with a plain id
 * cursor, as before sorting existed; a cursor from a sorted list is refused there too.
 */
export function subscriberKeyset(q: { sort?: SubscriberSort; order?: "asc" | "desc"; cursor?: string }) {
  if (!q.sort) {
    if (isSortCursor(q.cursor))
      throw new AppError("bad_request", "Invalid cursor: it belongs to another sort order");
    const last = decodeCursor(q.cursor);
    return {
      after: last ? sql`${subscribers.id} < ${last.id}` : undefined,
      orderBy: [desc(subscribers.id)],
      text: sql<string>`''`,
      cursorFor: (row: { id: string }) => encodeCursor({ id: row.id }),
    } satisfies SubscriberKeyset;
  }
  const spec = SORTS[q.sort];
  const order = q.order ?? spec.defaultOrder;
  const name = `${q.sort}.${order}`;
  const last = decodeSortCursor(q.cursor, name);
  if (last && !spec.valid(last.k)) throw new AppError("bad_request", "Invalid cursor");
  const cmp = order === "asc" ? sql`>` : sql`<`;
  const after = !last
    ? undefined
    : spec.unique
      ? sql`${spec.key} ${cmp} ${spec.value(last.k)}`
      : sql`(${spec.key}, ${subscribers.id}) ${cmp} (${spec.value(last.k)}, ${last.id}::uuid)`;
  const dir = order === "asc" ? asc : desc;
  return {
    after,
    orderBy: spec.unique ? [dir(spec.key)] : [dir(spec.key), dir(subscribers.id)],
    text: spec.text,
    cursorFor: (row: { id: string; sortKey: string }) =>
      encodeSortCursor({ id: row.id, s: name, k: row.sortKey }),
  } satisfies SubscriberKeyset;
}

import { INTEGER_MAX } from "../../schema/columns";
import { AppError } from "../lib/errors";

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  total?: number;
}

/** Opaque cursor: base64url JSON of the last row's sort key. */
export interface CursorKey {
  id: string;
  /** ISO time, for lists sorted by time. */
  t?: string;
}

/** Largest values of the numeric sort columns: `integer` (versions, chunk seq) and a JS-safe `bigint` id. */
export const INT_MAX = INTEGER_MAX;
export const BIGINT_ID_MAX = Number.MAX_SAFE_INTEGER;

/** Any UUID Postgres parses (the hex form); anything else in a uuid comparison is a database error. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Times a `timestamptz` holds and our rows can have: 1970 to 9999. */
const LATEST_TIME = Date.UTC(9999, 11, 31);

export function encodeCursor(key: CursorKey): string {
  return btoa(JSON.stringify(key)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const invalid = () => new AppError("bad_request", "Invalid cursor");

/** The cursor's JSON object with a string `id`; 400 for anything that is not one. */
function readCursor(cursor: string): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    throw invalid();
  }
  if (typeof key !== "object" || key === null || typeof (key as CursorKey).id !== "string") throw invalid();
  return key as CursorKey;
}

/**
 * The key of a list sorted by a uuid id. Every part is checked before it reaches SQL, so a
 * tampered cursor is a 400, never a database error (a 500).
 */
export function decodeCursor(cursor: string | undefined): { id: string } | null {
  if (!cursor) return null;
  const { id } = readCursor(cursor);
  if (!UUID.test(id)) throw invalid();
  return { id };
}

/** The key of a list sorted by (time, uuid id), newest first. */
export function decodeTimeCursor(cursor: string | undefined): { id: string; t: Date } | null {
  if (!cursor) return null;
  const key = readCursor(cursor);
  const ms = typeof key.t === "string" ? Date.parse(key.t) : Number.NaN;
  if (!UUID.test(key.id) || !(ms >= 0 && ms <= LATEST_TIME)) throw invalid();
  return { id: key.id, t: new Date(ms) };
}

/** The key of a list sorted by a number (a bigint id, a version, a sequence), at most `max`. */
export function decodeNumberCursor(cursor: string | undefined, max: number): number | null {
  if (!cursor) return null;
  const { id } = readCursor(cursor);
  const n = /^\d{1,16}$/.test(id) ? Number(id) : Number.NaN;
  if (!(n <= max)) throw invalid();
  return n;
}

/**
 * The key of a list that can be sorted several ways: the sort's name and direction travel in the
 * cursor with the last row's sort value (`k`, a string) and id, so a cursor handed out under one
 * sort is refused under another (400) instead of skipping or repeating rows.
 */
export interface SortCursorKey {
  id: string;
  /** Sort name and direction, e.g. "email.asc". */
  s: string;
  /** The last row's sort value as text; absent when the sort is by id alone. */
  k?: string;
}

export function encodeSortCursor(key: SortCursorKey): string {
  return encodeCursor(key as unknown as CursorKey);
}

/** The key of a cursor made by `encodeSortCursor` for the sort `s`; 400 for any other cursor. */
export function decodeSortCursor(cursor: string | undefined, s: string): { id: string; k: string } | null {
  if (!cursor) return null;
  const key = readCursor(cursor) as unknown as Partial<SortCursorKey>;
  if (key.s !== s) throw new AppError("bad_request", "Invalid cursor: it belongs to another sort order");
  if (typeof key.id !== "string" || !UUID.test(key.id) || typeof key.k !== "string" || key.k.length > 1000)
    throw invalid();
  return { id: key.id, k: key.k };
}

/** True when the cursor carries a sort (`s`): refused by lists paged with a plain id cursor. */
export function isSortCursor(cursor: string | undefined): boolean {
  if (!cursor) return false;
  return typeof (readCursor(cursor) as unknown as Partial<SortCursorKey>).s === "string";
}

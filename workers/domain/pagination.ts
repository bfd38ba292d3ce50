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

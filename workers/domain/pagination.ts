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

export function encodeCursor(key: CursorKey): string {
  return btoa(JSON.stringify(key)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string | undefined): CursorKey | null {
  if (!cursor) return null;
  try {
    const key = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))) as CursorKey;
    if (typeof key.id !== "string" || (key.t !== undefined && Number.isNaN(Date.parse(key.t))))
      throw new Error();
    return key;
  } catch {
    throw new AppError("bad_request", "Invalid cursor");
  }
}

import { describe, expect, it } from "vitest";
import {
  BIGINT_ID_MAX,
  decodeCursor,
  decodeNumberCursor,
  decodeTimeCursor,
  encodeCursor,
  INT_MAX,
} from "../../workers/domain/pagination";

const ID = "0192f0a0-1234-7abc-8def-0123456789ab";
const invalid = { code: "bad_request", message: "Invalid cursor" };

describe("cursors", () => {
  it("round-trips every kind of key the lists hand out", () => {
    expect(decodeCursor(encodeCursor({ id: ID }))).toEqual({ id: ID });
    expect(decodeNumberCursor(encodeCursor({ id: "42" }), INT_MAX)).toBe(42);
    expect(decodeNumberCursor(encodeCursor({ id: String(INT_MAX) }), INT_MAX)).toBe(INT_MAX);
    expect(decodeNumberCursor(encodeCursor({ id: "9007199254740991" }), BIGINT_ID_MAX)).toBe(BIGINT_ID_MAX);
    const t = "2026-01-02T03:04:05.678Z";
    expect(decodeTimeCursor(encodeCursor({ t, id: ID }))).toEqual({ id: ID, t: new Date(t) });
    for (const decode of [decodeCursor, decodeTimeCursor, (c?: string) => decodeNumberCursor(c, INT_MAX)]) {
      expect(decode(undefined)).toBeNull();
      expect(decode("")).toBeNull();
    }
  });

  it("refuses keys of the wrong kind or range with a 400 error, before any query", () => {
    expect(() => decodeCursor(encodeCursor({ id: "42" }))).toThrow(expect.objectContaining(invalid));
    expect(() => decodeNumberCursor(encodeCursor({ id: ID }), INT_MAX)).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() => decodeNumberCursor(encodeCursor({ id: String(INT_MAX + 1) }), INT_MAX)).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() => decodeTimeCursor(encodeCursor({ id: ID }))).toThrow(expect.objectContaining(invalid));
    expect(() => decodeTimeCursor(encodeCursor({ id: ID, t: "+275760-09-13T00:00:00.000Z" }))).toThrow(
      expect.objectContaining(invalid),
    );
  });
});

describe("sort cursors", () => {
  it("round-trips the sort's value and refuses a cursor from another sort or a plain one", async () => {
    const { decodeSortCursor, encodeSortCursor, isSortCursor } = await import(
      "../../workers/domain/pagination"
    );
    const cursor = encodeSortCursor({ id: ID, s: "email.asc", k: "a@b.example" });
    expect(decodeSortCursor(cursor, "email.asc")).toEqual({ id: ID, k: "a@b.example" });
    expect(isSortCursor(cursor)).toBe(true);
    expect(isSortCursor(encodeCursor({ id: ID }))).toBe(false);
    expect(decodeSortCursor(undefined, "email.asc")).toBeNull();
    expect(() => decodeSortCursor(cursor, "email.desc")).toThrow(
      expect.objectContaining({ code: "bad_request" }),
    );
    expect(() => decodeSortCursor(encodeCursor({ id: ID }), "email.asc")).toThrow(
      expect.objectContaining({ code: "bad_request" }),
    );
    expect(() => decodeSortCursor(encodeSortCursor({ id: "42", s: "name.asc", k: "x" }), "name.asc")).toThrow(
      expect.objectContaining(invalid),
    );
  });
});

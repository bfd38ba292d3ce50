import { sql } from "drizzle-orm";
import { customType, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Time-ordered UUID (RFC 9562 version 7), made in the application so that it works on every
 * Postgres we support (uuidv7() is only built in from Postgres 18). Ordering by id is ordering by
 * creation time, which keeps cursor pagination stable and index inserts append-only.
 */
export function newId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const ms = Date.now();
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The largest value of a Postgres `integer` column: input beyond it is a 400, not a SQL error. */
export const INTEGER_MAX = 2_147_483_647;

/** Primary key column: a UUIDv7 string made by the application. */
export const id = () =>
  uuid("id")
    .primaryKey()
    .$defaultFn(() => newId());

/** Timestamps every mutable row carries. */
export const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" })
    .notNull()
    .defaultNow()
    .$onUpdate(() => sql`now()`),
};

/**
 * The `set` of an update that may change nothing (an empty PATCH): drizzle refuses an update
 * whose values are all undefined ("No values to set", a 500), so the update time goes with them.
 */
export const touch = <T extends object>(values: T) => ({ ...values, updatedAt: sql`now()` });

/** A timestamptz column read as a Date. */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * A jsonb column whose value may be a bare JSON string (a setting such as `postalAddress`).
 * Both drivers hand jsonb over parsed, and drizzle's own `jsonb` parses a string it reads once
 * more: the stored text "12" came back as the number 12, "null" as null (and broke the mail
 * that printed it). This one writes JSON and reads what the driver gives.
 */
export const jsonValue = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => "jsonb",
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => value,
});

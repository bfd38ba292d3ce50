import { type SQL, sql } from "drizzle-orm";
import { subscribers } from "../../../schema/subscribers";
import { type Database, queryRows } from "../../lib/db";

/**
 * A subscriber's time zone, the one resolver for every feature that acts on local time
 * (local-time campaigns, workflow waits and anniversaries): their `timezone` field when it names
 * a zone Postgres knows, else the zone the edge last saw them in (`seen_timezone`), else the
 * organisation's. `s` is the alias the statement gives `subscribers`. An unknown name never fails
 * the statement (the zone list is read once per statement: a hashed subplan).
 */
export function subscriberZoneSql(s: string, orgZone: string): SQL {
  const t = sql.raw(s);
  const known = sql`(select name from pg_timezone_names)`;
  return sql`(case when ${t}.fields->>'timezone' in ${known} then ${t}.fields->>'timezone'
    when ${t}.seen_timezone in ${known} then ${t}.seen_timezone else ${orgZone}::text end)`;
}

/** At most this long; IANA names are far shorter. */
const MAX_ZONE = 64;
/** `Area/Location` names only: no offsets, no `Etc/` zones (they say nothing about a place). */
const AREA_LOCATION = /^(?!Etc\/)[A-Z][A-Za-z_]*(?:\/[A-Za-z0-9_+-]+)+$/;

/**
 * The coarse zone to keep from what the edge reports (`request.cf.timezone`), or null: an IANA
 * `Area/Location` name the runtime's Intl knows. Nothing finer (no address, no coordinates) is kept.
 */
export function coarseZone(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length > MAX_ZONE || !AREA_LOCATION.test(raw)) return null;
  try {
    new Intl.DateTimeFormat("en", { timeZone: raw });
    return raw;
  } catch {
    return null;
  }
}

/** Where a subscriber was seen: by id (opens and clicks) or by address (signups). */
export interface SeenZone {
  subscriberId?: string | null;
  email?: string | null;
  zone: unknown;
  at: Date;
}

/**
 * Records the zones subscribers were seen in: the latest sighting wins (an older one arriving
 * late changes nothing). With `onlyIfUnknown` (an unauthenticated signup form, which anyone can
 * post for any address) it only fills a zone never seen. Invalid zones are left out. One
 * statement for sightings by id and one for those by address (an OR of both would not use the
 * indexes). Returns how many subscribers changed.
 */
export async function recordSeenZones(
  db: Database,
  seen: readonly SeenZone[],
  opts: { onlyIfUnknown?: boolean } = {},
): Promise<number> {
  const byId: { key: string; zone: string; at: string }[] = [];
  const byEmail: { key: string; zone: string; at: string }[] = [];
  for (const s of seen) {
    const zone = coarseZone(s.zone);
    if (!zone) continue;
    if (s.subscriberId) byId.push({ key: s.subscriberId, zone, at: s.at.toISOString() });
    else if (s.email) byEmail.push({ key: s.email.trim().toLowerCase(), zone, at: s.at.toISOString() });
  }
  const guard = opts.onlyIfUnknown
    ? sql`s.seen_timezone is null`
    : sql`(s.seen_timezone_at is null or s.seen_timezone_at < v.at)`;
  let changed = 0;
  for (const [rows, match] of [
    [byId, sql`s.id = v.key::uuid`],
    [byEmail, sql`lower(s.email) = v.key`],
  ] as const) {
    if (rows.length === 0) continue;
    const done = await queryRows<{ id: string }>(
      db,
      sql`
      update ${subscribers} s set seen_timezone = v.zone, seen_timezone_at = v.at
      from (
        select distinct on (x.key) x.key, x.zone, x.at
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(key text, zone text, at timestamptz)
        order by x.key, x.at desc
      ) v
      where ${match} and ${guard}
      returning s.id`,
    );
    changed += done.length;
  }
  return changed;
}

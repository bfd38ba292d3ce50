/**
 * Wall-clock times in an IANA time zone, turned into instants with the right UTC offset, using
 * only Intl (no time zone database of our own). Pure functions: unit-tested across DST changes.
 */

/** How a wall time mapped to an instant: exactly, or across a DST change. */
export type Disambiguation = "exact" | "gap" | "overlap";

export interface ZonedInstant {
  /** ISO-8601 with the zone's offset at that instant, e.g. 2026-12-24T09:00:00+01:00. */
  iso: string;
  /** The same instant in milliseconds since the epoch. */
  epochMs: number;
  /** The offset in minutes east of UTC (+60 for Berlin in winter). */
  offsetMinutes: number;
  /**
   * "gap": the time does not exist that day (clocks jumped forward); it is moved later by the
   * jump, as most calendars do. "overlap": it happened twice (clocks went back); the first is used.
   */
  disambiguation: Disambiguation;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, format);
  }
  return format;
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of an instant in `zone`. */
export function wallParts(epochMs: number, zone: string): WallParts {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(epochMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in minutes (sub-minute history offsets are rounded). */
export function offsetAt(epochMs: number, zone: string): number {
  const seconds = Math.floor(epochMs / 1000) * 1000;
  const p = wallParts(seconds, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - seconds) / 60_000);
}

/** Whether the runtime knows `zone` as a time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

const DAY_MS = 86_400_000;

/**
 * The instant at which clocks in `zone` read `date` ("YYYY-MM-DD") and `time` ("HH:MM" or
 * "HH:MM:SS"). Null when the input is not a valid date and time or the zone is unknown.
 */
export function zonedToInstant(date: string, time: string, zone: string): ZonedInstant | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t || !isTimeZone(zone)) return null;
  const [year, month, day, hour, minute, second] = [d[1], d[2], d[3], t[1], t[2], t[3] ?? "0"].map(Number);
  if (year === undefined || month === undefined || day === undefined) return null;
  if (hour === undefined || minute === undefined || second === undefined) return null;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March: refuse it rather than send on another day.
  if (new Date(wall).getUTCDate() !== day) return null;

  // The offsets in force a day either side cover any single transition near this wall time.
  const offsets = [...new Set([offsetAt(wall - DAY_MS, zone), offsetAt(wall + DAY_MS, zone)])];
  const matches = offsets
    .map((offset) => wall - offset * 60_000)
    .filter((epoch) => offsetAt(epoch, zone) * 60_000 === wall - epoch)
    .sort((a, b) => a - b);
  const first = matches[0];
  if (first !== undefined) return instant(first, zone, matches.length > 1 ? "overlap" : "exact");
  // In a gap: read the wall time with the offset from before the jump, which lands after it.
  const before = offsetAt(wall - DAY_MS, zone);
  return instant(wall - before * 60_000, zone, "gap");
}

function instant(epochMs: number, zone: string, disambiguation: Disambiguation): ZonedInstant {
  const offsetMinutes = offsetAt(epochMs, zone);
  return { iso: isoWithOffset(epochMs, zone), epochMs, offsetMinutes, disambiguation };
}

/** ISO-8601 of an instant as clocks in `zone` show it, with that offset (`Z` for UTC). */
export function isoWithOffset(epochMs: number, zone: string): string {
  const p = wallParts(epochMs, zone);
  const offset = offsetAt(epochMs, zone);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const local = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  return `${local}${formatOffset(offset, "Z")}`;
}

/** "+01:00", "-04:30"; `zero` for an offset of 0 ("Z" in ISO strings, "+00:00" for people). */
export function formatOffset(minutes: number, zero = "+00:00"): string {
  if (minutes === 0) return zero;
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** The date ("YYYY-MM-DD") and time ("HH:MM") clocks in `zone` show at an instant: form defaults. */
export function wallInputs(epochMs: number, zone: string): { date: string; time: string } {
  const p = wallParts(epochMs, zone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    date: `${String(p.year).padStart(4, "0")}-${pad(p.month)}-${pad(p.day)}`,
    time: `${pad(p.hour)}:${pad(p.minute)}`,
  };
}

/** The viewer's own time zone. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

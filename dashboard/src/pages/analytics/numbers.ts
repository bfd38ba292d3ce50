/** Formatting and series shaping for the analytics pages. */
import type { DayPoint, HourPoint, TimelineBucket } from "../../api/analytics";

import { dateTimeFormat, formatNumber, formatPercent as percent } from "../../format";

// Formats in the dashboard's language, made when asked for (`format.ts` caches them per language).
const dayShort = () => dateTimeFormat({ day: "numeric", month: "short", timeZone: "UTC" });
const dayLong = () => dateTimeFormat({ dateStyle: "medium", timeZone: "UTC" });
const dateLocal = () => dateTimeFormat({ dateStyle: "medium" });
const dayShortLocal = () => dateTimeFormat({ day: "numeric", month: "short" });
const hourShort = () => dateTimeFormat({ hour: "numeric", minute: "2-digit" });
const hourDay = () => dateTimeFormat({ day: "numeric", month: "short", hour: "numeric" });
const minuteDay = () =>
  dateTimeFormat({ day: "numeric", month: "short", hour: "numeric", minute: "2-digit" });
const hourLong = () => dateTimeFormat({ dateStyle: "medium", timeStyle: "short" });

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A count with the reader's digit grouping. */
export const formatCount = (n: number) => formatNumber(n);

/** A fraction (0.25) as a percentage ("25%"), one decimal at most. */
export const formatPercent = (fraction: number) => percent(Number.isFinite(fraction) ? fraction : 0);

/** `part / whole` as a fraction, 0 when there is no whole. */
export const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/** A local calendar date ("12 May 2025"). */
export const formatDate = (date: Date) => dateLocal().format(date);

/** A daily series with its labels, one point per UTC day of the range, gaps filled with zeros. */
export interface DailySeries {
  labels: string[];
  fullLabels: string[];
  points: DayPoint[];
}

/** Every UTC day from `from` to just before `to`, with the server's figures where it has any. */
export function fillDays(series: DayPoint[], from: string, to: string): DailySeries {
  const byDay = new Map(series.map((p) => [p.day, p]));
  const start = Date.parse(from.slice(0, 10));
  const end = Date.parse(new Date(Date.parse(to) - 1).toISOString().slice(0, 10));
  const out: DailySeries = { labels: [], fullLabels: [], points: [] };
  for (let t = start; t <= end && out.points.length < 1200; t += DAY) {
    const date = new Date(t);
    const day = date.toISOString().slice(0, 10);
    out.points.push(byDay.get(day) ?? emptyDay(day));
    out.labels.push(dayShort().format(date));
    out.fullLabels.push(dayLong().format(date));
  }
  return out;
}

function emptyDay(day: string): DayPoint {
  return { day, sent: 0, opens: 0, uniqueOpens: 0, clicks: 0, uniqueClicks: 0, bounces: 0, unsubscribes: 0 };
}

/** A campaign timeline per minute, five minutes or hour, or by local day when it spans more than two weeks. */
export interface Timeline {
  unit: TimelineBucket;
  labels: string[];
  fullLabels: string[];
  points: HourPoint[];
}

const STEP: Record<Exclude<TimelineBucket, "day">, number> = { minute: 60_000, "5min": 300_000, hour: HOUR };

/**
 * Every bucket from the first to the last one with figures (zeros between). Hours over more than
 * two weeks, and the server's UTC days, become local days.
 */
export function fillTimeline(rows: HourPoint[], bucket: TimelineBucket = "hour"): Timeline {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) return { unit: bucket, labels: [], fullLabels: [], points: [] };
  const start = Date.parse(first.hour);
  const end = Date.parse(last.hour);
  if (bucket === "day" || end - start > 14 * DAY) return byLocalDay(rows, end);
  const step = STEP[bucket];
  const byStart = new Map(rows.map((r) => [Date.parse(r.hour), r]));
  const multiDay = new Date(start).toDateString() !== new Date(end).toDateString();
  const short = (multiDay ? (bucket === "hour" ? hourDay : minuteDay) : hourShort)();
  const out: Timeline = { unit: bucket, labels: [], fullLabels: [], points: [] };
  for (let t = start; t <= end && out.points.length < 3000; t += step) {
    const date = new Date(t);
    out.points.push(byStart.get(t) ?? { ...emptyHour(), hour: date.toISOString() });
    out.labels.push(short.format(date));
    out.fullLabels.push(hourLong().format(date));
  }
  return out;
}

function byLocalDay(rows: HourPoint[], end: number): Timeline {
  const sums = new Map<string, HourPoint>();
  for (const row of rows) {
    const key = new Date(row.hour).toDateString();
    const sum = sums.get(key) ?? { ...emptyHour(), hour: row.hour };
    for (const k of COUNTS) sum[k] += row[k];
    sums.set(key, sum);
  }
  const out: Timeline = { unit: "day", labels: [], fullLabels: [], points: [] };
  const day = new Date(rows[0]?.hour ?? end);
  day.setHours(0, 0, 0, 0);
  while (day.getTime() <= end && out.points.length < 1200) {
    out.points.push(sums.get(day.toDateString()) ?? { ...emptyHour(), hour: day.toISOString() });
    out.labels.push(dayShortLocal().format(day));
    out.fullLabels.push(dateLocal().format(day));
    day.setDate(day.getDate() + 1);
  }
  return out;
}

const COUNTS = [
  "sent",
  "opens",
  "uniqueOpens",
  "machineOpens",
  "clicks",
  "uniqueClicks",
  "bounces",
  "complaints",
  "unsubscribes",
] as const satisfies readonly (keyof HourPoint)[];

function emptyHour(): HourPoint {
  return {
    hour: "",
    sent: 0,
    opens: 0,
    uniqueOpens: 0,
    machineOpens: 0,
    clicks: 0,
    uniqueClicks: 0,
    bounces: 0,
    complaints: 0,
    unsubscribes: 0,
  };
}

/**
 * Numbers, dates and durations in the dashboard's language, through `Intl`. Each function reads
 * the `locale` signal, so what it returns follows a change of language on the next render.
 */
import { locale } from "./i18n";

/**
 * The `Intl` locale for the chosen language: the browser's own variant when it is one of that
 * language's (`en-GB` dates for a British reader of the English dashboard), else the language.
 */
function intlLocale(): string {
  const lang = locale.value;
  const primary = lang.split("-")[0];
  const own = typeof navigator === "undefined" ? [] : (navigator.languages ?? []);
  return own.find((tag) => tag === lang || tag.split("-")[0] === primary) ?? lang;
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
  kind: string,
  options: object,
  make: (tag: string) => T,
): T {
  const tag = intlLocale();
  const key = `${kind}|${tag}|${JSON.stringify(options)}`;
  let format = cache.get(key) as T | undefined;
  if (!format) {
    format = make(tag);
    cache.set(key, format);
  }
  return format;
}

export function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached("n", options, (tag) => new Intl.NumberFormat(tag, options));
}

export function dateTimeFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached("d", options, (tag) => new Intl.DateTimeFormat(tag, options));
}

/** 12345 → "12,345" (en), "12.345" (de), "12 345" (fr). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return numberFormat(options).format(value);
}

/** A ratio (0.123) as a percentage: "12.3%" (en), "12,3 %" (de). */
export function formatPercent(ratio: number, fractionDigits = 1): string {
  return numberFormat({
    style: "percent",
    minimumFractionDigits: 0,
    maximumFractionDigits: fractionDigits,
  }).format(ratio);
}

/** Bytes in the largest whole unit: "1.2 MB". */
export function formatBytes(bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return numberFormat({
    style: "unit",
    unit: units[unit],
    unitDisplay: "short",
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

function parse(iso: string | Date | null | undefined): Date | null {
  if (!iso) return null;
  const date = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A server timestamp in the reader's language and time zone; "—" when there is none. */
export function formatDateTime(iso: string | Date | null | undefined, timeZone?: string): string {
  const date = parse(iso);
  if (!date) return typeof iso === "string" && iso ? iso : "—";
  return dateTimeFormat({ dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
}

/** The date alone: "Dec 7, 2026" (en), "7. Dez. 2026" (de), "2026/12/07" (ja). */
export function formatDate(iso: string | Date | null | undefined, timeZone?: string): string {
  const date = parse(iso);
  if (!date) return typeof iso === "string" && iso ? iso : "—";
  return dateTimeFormat({ dateStyle: "medium", timeZone }).format(date);
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.345],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

/** "3 minutes ago", "in 2 days", "vor 3 Minuten", "3 分前", from now (or from `now`). */
export function formatRelative(iso: string | Date | null | undefined, now: Date = new Date()): string {
  const date = parse(iso);
  if (!date) return "—";
  let value = (date.getTime() - now.getTime()) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) {
      const format = cached("r", {}, (tag) => new Intl.RelativeTimeFormat(tag, { numeric: "auto" }));
      return format.format(Math.round(value), unit);
    }
    value /= size;
  }
  return formatDateTime(date);
}

/** A duration in seconds in the largest sensible units: "2 h 5 min", "45 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const parts: [number, "hour" | "minute" | "second"][] = [
    [Math.floor(s / 3600), "hour"],
    [Math.floor((s % 3600) / 60), "minute"],
    [s % 60, "second"],
  ];
  const shown = parts.filter(([n]) => n > 0).slice(0, 2);
  if (shown.length === 0) shown.push([0, "second"]);
  return shown
    .map(([n, unit]) => numberFormat({ style: "unit", unit, unitDisplay: "narrow" }).format(n))
    .join(" ");
}

/** The first characters of a long id: enough to tell rows apart, full value in a tooltip. */
export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

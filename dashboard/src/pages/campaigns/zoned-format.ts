/**
 * Instants in words in the dashboard's language (kept apart from `zoned-time.ts`, whose pure
 * functions are also used outside the dashboard).
 */
import { dateTimeFormat } from "../../format";
import { isTimeZone } from "./zoned-time";

/**
 * An instant in words, in `zone` (the viewer's own when omitted): "Friday, 15 January 2027 at
 * 09:30" in full, "15 Jan 2027, 09:30" in short.
 */
export function formatInZone(epochMs: number, zone?: string, style: "full" | "short" = "full"): string {
  return dateTimeFormat({
    dateStyle: style === "full" ? "full" : "medium",
    timeStyle: "short",
    ...(zone ? { timeZone: zone } : {}),
  }).format(new Date(epochMs));
}

/** A stored time in its campaign's zone with the zone named, else in the viewer's; "—" for none. */
export function formatScheduled(iso: string | null, zone: string | null): string {
  const at = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(at)) return "—";
  return zone && isTimeZone(zone)
    ? `${formatInZone(at, zone, "short")} ${zone}`
    : formatInZone(at, undefined, "short");
}

/** The analytics date range: a preset (last 7, 30 or 90 days) or custom dates, kept in the address. */
import type { Range } from "../../api/analytics";
import { t } from "../../i18n";
import { formatDate } from "./numbers";

export const PRESETS = [7, 30, 90] as const;
export type Preset = (typeof PRESETS)[number];

/** `from` and `to` are local calendar dates (YYYY-MM-DD), both days included. */
export type RangeChoice = { kind: "preset"; days: Preset } | { kind: "custom"; from: string; to: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;

/** The range in the address (`?days=7`, `?from=2025-05-01&to=2025-05-31`); default the last 30 days. */
export function readRange(query: Record<string, string | undefined>): RangeChoice {
  const { from, to } = query;
  if (from && to && localMidnight(from) && localMidnight(to)) return { kind: "custom", from, to };
  const days = PRESETS.find((d) => String(d) === query.days) ?? 30;
  return { kind: "preset", days };
}

/** The address parameters of a range (the default one needs none). */
export function rangeParams(choice: RangeChoice): Record<string, string> {
  if (choice.kind === "custom") return { from: choice.from, to: choice.to };
  return choice.days === 30 ? {} : { days: String(choice.days) };
}

/** Tells ranges apart for refetching; a preset is the same range whenever it is asked for. */
export const rangeKey = (choice: RangeChoice) =>
  choice.kind === "custom" ? `${choice.from}..${choice.to}` : `last-${choice.days}`;

/** The API's range: presets end now; custom ranges run from local midnight to the midnight after `to`. */
export function toApiRange(choice: RangeChoice): Range {
  if (choice.kind === "preset") {
    const now = Date.now();
    return { from: new Date(now - choice.days * DAY).toISOString(), to: new Date(now).toISOString() };
  }
  const from = localMidnight(choice.from);
  const to = localMidnight(choice.to);
  if (!from || !to) return {};
  to.setDate(to.getDate() + 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** Messages for the custom date inputs, by field; empty when the dates can be sent. */
export function checkCustom(from: string, to: string): { from?: string; to?: string } {
  const start = localMidnight(from);
  const end = localMidnight(to);
  if (!start) return { from: t("analytics.range.chooseStart") };
  if (!end) return { to: t("analytics.range.chooseEnd") };
  if (end < start) return { to: t("analytics.range.endBeforeStart") };
  return {};
}

/** "1 May 2025 – 30 May 2025" for the server's range (its `to` is exclusive). */
export function describeRange(from: string, to: string): string {
  return `${formatDate(new Date(from))} – ${formatDate(new Date(Date.parse(to) - 1))}`;
}

/** A local calendar date as YYYY-MM-DD. */
export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function localMidnight(text: string): Date | null {
  if (!DATE.test(text)) return null;
  const [y, m, d] = text.split("-").map(Number);
  if (y === undefined || m === undefined || d === undefined) return null;
  const date = new Date(y, m - 1, d);
  return date.getMonth() === m - 1 && date.getDate() === d ? date : null;
}

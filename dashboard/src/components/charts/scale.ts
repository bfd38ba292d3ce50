/** Axis arithmetic shared by the charts: round tick values, spaced labels, summaries. */
import { formatNumber } from "../../format";
import { t } from "../../i18n";

/** One line of a chart: a value per point of the x axis. */
export interface Series {
  key: string;
  label: string;
  values: number[];
  /** Colour of the line and its legend swatch. */
  tone: "blue" | "green" | "orange" | "red" | "gray";
  /** Drawn dashed: a figure shown beside the others rather than one of them (machine opens). */
  dashed?: boolean;
}

/** Evenly spaced whole-number ticks from 0 to at least `max`, about `count` steps. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(value);
  return ticks;
}

/** The indexes of at most `room` labels along an axis of `n` points, evenly spread from the first. */
export function labelIndexes(n: number, room: number): number[] {
  if (n <= 0) return [];
  const every = Math.max(1, Math.ceil(n / Math.max(1, room)));
  const out: number[] = [];
  for (let i = 0; i < n; i += every) out.push(i);
  return out;
}

/** The largest value of every series, for the y axis. */
export function maxOf(series: Series[]): number {
  let max = 0;
  for (const s of series) for (const v of s.values) if (v > max) max = v;
  return max;
}

/** A sentence per series (total and peak), read out as the chart's description. */
export function describeSeries(series: Series[], labels: string[]): string {
  if (labels.length === 0) return t("components.chart.noData");
  const span =
    labels.length === 1
      ? (labels[0] ?? "")
      : t("components.chart.span", { from: labels[0], to: labels[labels.length - 1] });
  const parts = series.map((s) => {
    const total = s.values.reduce((sum, v) => sum + v, 0);
    if (total === 0) return t("components.chart.seriesNone", { label: s.label });
    const peak = s.values.reduce((best, v, i) => (v > (s.values[best] ?? 0) ? i : best), 0);
    return t("components.chart.seriesSummary", {
      label: s.label,
      total: formatNumber(total),
      peak: formatNumber(s.values[peak] ?? 0),
      at: labels[peak],
    });
  });
  return t("components.chart.summary", { span, parts: parts.join(" ") });
}

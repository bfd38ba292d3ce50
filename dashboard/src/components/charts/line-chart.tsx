import { useSignal } from "@preact/signals";
import type { TargetedKeyboardEvent, TargetedMouseEvent } from "preact";
import { useEffect, useId, useRef } from "preact/hooks";
import { ChartTable } from "./chart-table";
import { describeSeries, labelIndexes, maxOf, niceTicks, type Series } from "./scale";
import "./charts.css";
import { formatNumber } from "../../format";
import { t } from "../../i18n";

export type { Series } from "./scale";

interface LineChartProps {
  /** The accessible name of the chart (and of its data table), e.g. "Opens and clicks per day". */
  label: string;
  /** Short x-axis labels, one per point ("12 May"). */
  labels: string[];
  /** Longer labels for the tooltip and the data table ("Mon, 12 May 2025"); default `labels`. */
  fullLabels?: string[];
  series: Series[];
  /** Header of the data table's first column: "Day", "Hour". */
  xHeader: string;
  /** Said after the generated summary, e.g. "Days are UTC days." */
  note?: string;
  height?: number;
}

const M = { top: 12, right: 16, bottom: 28, left: 48 };

/**
 * A dependency-free SVG line chart: gridlines, axes, legend, a tooltip on hover and on keyboard
 * focus (arrow keys move it), a spoken summary, and a data table that can be shown.
 */
export function LineChart({
  label,
  labels,
  fullLabels,
  series,
  xHeader,
  note,
  height = 220,
}: LineChartProps) {
  const id = useId();
  const plot = useRef<HTMLDivElement>(null);
  const width = useSignal(640);
  const active = useSignal<number | null>(null);
  const tableOpen = useSignal(false);
  const full = fullLabels ?? labels;
  const n = labels.length;

  useEffect(() => {
    const el = plot.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.round(entry?.contentRect.width ?? 0);
      if (w > 0) width.value = Math.max(280, w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const W = width.value;
  const plotW = W - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const ticks = niceTicks(maxOf(series));
  const top = ticks[ticks.length - 1] ?? 1;
  const x = (i: number) => M.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  const xLabels = labelIndexes(n, Math.floor(plotW / 84));
  const current = active.value;

  const pointAt = (event: TargetedMouseEvent<SVGSVGElement>) => {
    if (n === 0) return;
    const box = event.currentTarget.getBoundingClientRect();
    const px = ((event.clientX - box.left) * W) / (box.width || W);
    const i = n <= 1 ? 0 : Math.round(((px - M.left) * (n - 1)) / plotW);
    active.value = Math.min(n - 1, Math.max(0, i));
  };
  const onKey = (event: TargetedKeyboardEvent<SVGSVGElement>) => {
    const last = n - 1;
    const from = active.value ?? 0;
    const moves: Record<string, number> = { ArrowLeft: from - 1, ArrowRight: from + 1, Home: 0, End: last };
    const next = moves[event.key];
    if (next === undefined || n === 0) return;
    event.preventDefault();
    active.value = Math.min(last, Math.max(0, next));
  };
  const spoken = current === null ? "" : pointText(full[current] ?? "", series, current);

  return (
    <figure class="chart">
      <ul class="chart__legend" aria-label={t("components.chart.legend", { label })}>
        {series.map((s) => (
          <li key={s.key}>
            {/* i18n-ignore: class names */}
            <span class={`chart__swatch chart--${s.tone}${s.dashed ? " chart__swatch--dashed" : ""}`} />
            {s.label}
          </li>
        ))}
      </ul>
      <div class="chart__plot" ref={plot}>
        <svg
          class="chart__svg"
          viewBox={`0 0 ${W} ${height}`}
          role="img"
          aria-label={label}
          aria-describedby={`${id}-desc`}
          tabIndex={n > 0 ? 0 : undefined}
          onMouseMove={pointAt}
          onMouseLeave={() => (active.value = null)}
          onFocus={() => (active.value ??= n - 1)}
          onBlur={() => (active.value = null)}
          onKeyDown={onKey}
        >
          <desc id={`${id}-desc`}>
            {describeSeries(series, full)}
            {note ? ` ${note}` : ""}
          </desc>
          {ticks.map((tick) => (
            <g key={tick} class="chart__grid">
              <line x1={M.left} x2={W - M.right} y1={y(tick)} y2={y(tick)} />
              <text x={M.left - 8} y={y(tick)} dy="0.32em" text-anchor="end">
                {formatNumber(tick)}
              </text>
            </g>
          ))}
          <line class="chart__axis" x1={M.left} x2={W - M.right} y1={y(0)} y2={y(0)} />
          {xLabels.map((i) => (
            <text key={i} class="chart__xlabel" x={x(i)} y={height - 8} text-anchor={anchor(i, n)}>
              {labels[i]}
            </text>
          ))}
          {current !== null && (
            <line class="chart__guide" x1={x(current)} x2={x(current)} y1={M.top} y2={y(0)} />
          )}
          {series.map((s) => (
            <g key={s.key} class={`chart--${s.tone}${s.dashed ? " chart__line--dashed" : ""}`}>
              <polyline class="chart__line" points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ")} />
              {s.values.map((v, i) =>
                n <= 48 || i === current ? (
                  <circle key={i} class="chart__dot" cx={x(i)} cy={y(v)} r={i === current ? 4.5 : 2.5} />
                ) : null,
              )}
            </g>
          ))}
        </svg>
        {current !== null && (
          <div
            class={`chart__tooltip${x(current) > W * 0.5 ? " chart__tooltip--left" : ""}`}
            style={{ left: `${(x(current) / W) * 100}%` }}
            aria-hidden="true"
          >
            <strong>{full[current]}</strong>
            {series.map((s) => (
              <span key={s.key}>
                {/* i18n-ignore: class names */}
                <span class={`chart__swatch chart--${s.tone}${s.dashed ? " chart__swatch--dashed" : ""}`} />
                {t("components.chart.value", { label: s.label, value: formatNumber(s.values[current] ?? 0) })}
              </span>
            ))}
          </div>
        )}
      </div>
      <p class="visually-hidden" aria-live="polite">
        {spoken}
      </p>
      <button
        type="button"
        class="button button--small chart__toggle"
        aria-expanded={tableOpen.value}
        aria-controls={`${id}-table`}
        onClick={() => (tableOpen.value = !tableOpen.value)}
      >
        {tableOpen.value ? t("components.chart.hideTable") : t("components.chart.showTable")}
      </button>
      <ChartTable
        id={`${id}-table`}
        hidden={!tableOpen.value}
        label={t("components.chart.data", { label })}
        xHeader={xHeader}
        labels={full}
        series={series}
      />
    </figure>
  );
}

function anchor(i: number, n: number): "start" | "middle" | "end" {
  if (n > 1 && i === 0) return "start";
  if (n > 1 && i === n - 1) return "end";
  return "middle";
}

function pointText(label: string, series: Series[], i: number): string {
  const values = series.map((s) =>
    t("components.chart.spokenValue", { label: s.label, value: formatNumber(s.values[i] ?? 0) }),
  );
  return t("components.chart.point", { label, values: values.join(t("components.chart.separator")) });
}

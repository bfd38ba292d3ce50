import { formatNumber } from "../../format";
import type { Series } from "./scale";

interface ChartTableProps {
  id: string;
  hidden?: boolean;
  /** Accessible name, e.g. "Opens and clicks per day (data)". */
  label: string;
  /** Header of the first column: "Day", "Hour". */
  xHeader: string;
  labels: string[];
  series: Series[];
}

/** The numbers behind a chart as a plain table: the chart's text alternative. */
export function ChartTable({ id, hidden, label, xHeader, labels, series }: ChartTableProps) {
  return (
    <div class="chart__table table-wrap table-wrap--flat" id={id} hidden={hidden}>
      <table class="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">{xHeader}</th>
            {series.map((s) => (
              <th key={s.key} scope="col" class="numeric">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((text, i) => (
            <tr key={`${i}:${text}`}>
              <th scope="row" class="nowrap">
                {text}
              </th>
              {series.map((s) => (
                <td key={s.key} class="numeric">
                  {formatNumber(s.values[i] ?? 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { ComponentChildren } from "preact";
import type { ReportStatus } from "../../api/analytics";
import { ErrorBanner } from "../../components/error-banner";
import type { Column } from "../../components/table";
import { t } from "../../i18n";

const TONES: Record<ReportStatus, string> = {
  draft: "badge--muted",
  scheduled: "badge--admin",
  testing: "badge--warning",
  sending: "badge--warning",
  paused: "badge--danger",
  sent: "badge--ok",
  cancelled: "badge--muted",
  failed: "badge--danger",
};

/** A campaign's status as a coloured badge. */
export function CampaignStatusBadge({ status }: { status: ReportStatus }) {
  // i18n-ignore (a class name)
  return <span class={`badge ${TONES[status]}`}>{t(`campaigns.status.${status}`)}</span>;
}

interface ReportSectionProps {
  id: string;
  title: string;
  intro?: ComponentChildren;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  /** Said instead of the content when there is nothing to show yet; null when there is. */
  empty: string | null;
  /** Controls beside the heading (a toggle, a picker). */
  tools?: ComponentChildren;
  children: ComponentChildren;
}

/** A card of the report with its heading, loading and error states and a plain empty state. */
export function ReportSection(props: ReportSectionProps) {
  const { id, title, intro, loading, error, empty } = props;
  return (
    <section class="card report-section" aria-labelledby={id} aria-busy={loading}>
      <div class="report-section__head">
        <h2 id={id}>{title}</h2>
        {props.tools}
      </div>
      {intro && <p class="muted report-section__intro">{intro}</p>}
      <ErrorBanner error={error} onRetry={props.onRetry} />
      {error ? null : loading && empty !== null ? (
        <p class="muted">{t("common.loading")}</p>
      ) : empty !== null ? (
        <p class="report-empty">{empty}</p>
      ) : (
        props.children
      )}
    </section>
  );
}

interface SimpleTableProps<T> {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
}

/** A small table of rows already in hand (a report breakdown), not paginated on the server. */
export function SimpleTable<T>({ label, columns, rows, rowKey }: SimpleTableProps<T>) {
  return (
    <div class="table-wrap table-wrap--flat">
      <table class="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.id ?? column.header} class={column.class} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.id ?? column.header} class={column.class}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { useSignal } from "@preact/signals";
import type { ComponentChildren, TargetedMouseEvent } from "preact";
import { formatNumber } from "../format";
import type { Pager } from "../hooks/use-pager";
import { t } from "../i18n";
import { ErrorBanner } from "./error-banner";

export interface Column<T> {
  header: string;
  /** Tells columns apart when headers may repeat (user-named custom fields); defaults to the header. */
  id?: string;
  cell: (row: T) => ComponentChildren;
  class?: string;
  /** A sortable column: its header is a button; `direction` is set on the column sorted by. */
  sort?: { direction: "asc" | "desc" | null; onSort: () => void };
}

interface TableProps<T> {
  /** Accessible name of the table, e.g. "Users". */
  label: string;
  columns: Column<T>[];
  pager: Pager<T>;
  rowKey: (row: T) => string;
  empty: string;
  /** When given, each row gets a toggle that reveals this below it. */
  expand?: (row: T) => ComponentChildren;
  /** The page already shows the load error (beside its filters, say). */
  hideError?: boolean;
  /**
   * Makes the whole row open something (a detail page). Keep a link in one of its cells too, for
   * keyboards and screen readers; clicks on links, buttons and inputs inside the row are left alone.
   */
  onRowClick?: (row: T) => void;
}

/**
 * A server-paginated table: rows so far, a count, and "Load more" while the server has more; or,
 * for a pager in "pages" mode, one page with its range and Previous/Next.
 */
export function Table<T>({
  label,
  columns,
  pager,
  rowKey,
  empty,
  expand,
  hideError,
  onRowClick,
}: TableProps<T>) {
  const open = useSignal<ReadonlySet<string>>(new Set());
  const rows = pager.rows.value;
  const span = columns.length + (expand ? 1 : 0);
  const toggle = (key: string) => {
    const next = new Set(open.value);
    if (!next.delete(key)) next.add(key);
    open.value = next;
  };

  return (
    <div class="table-wrap" aria-busy={pager.loading.value}>
      <table class="table" aria-label={label}>
        <thead>
          <tr>
            {expand && <th class="table__toggle" aria-label={t("components.table.details")} />}
            {columns.map((column) => (
              <th
                key={column.id ?? column.header}
                class={column.class}
                scope="col"
                aria-sort={sortState(column.sort?.direction)}
              >
                {column.sort ? <SortButton header={column.header} sort={column.sort} /> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            const expanded = open.value.has(key);
            return [
              <tr
                key={key}
                class={rowClass(expanded, onRowClick !== undefined)}
                onClick={onRowClick && ((event) => clickRow(event, () => onRowClick(row)))}
              >
                {expand && (
                  <td class="table__toggle">
                    <button
                      type="button"
                      class="icon-button"
                      aria-expanded={expanded}
                      aria-controls={`detail-${key}`}
                      aria-label={
                        expanded ? t("components.table.hideDetails") : t("components.table.showDetails")
                      }
                      onClick={() => toggle(key)}
                    >
                      {expanded ? "▾" : "▸"}
                    </button>
                  </td>
                )}
                {columns.map((column) => (
                  <td key={column.id ?? column.header} class={column.class}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>,
              expand && expanded && (
                <tr key={`${key}-detail`} id={`detail-${key}`} class="table__detail">
                  <td colSpan={span}>{expand(row)}</td>
                </tr>
              ),
            ];
          })}
          {rows.length === 0 && !pager.loading.value && !pager.error.value && (
            <tr>
              <td colSpan={span} class="table__empty">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {!hideError && <ErrorBanner error={pager.error.value} onRetry={pager.retry} />}
      <Footer pager={pager} />
    </div>
  );
}

const sortState = (direction: "asc" | "desc" | null | undefined) =>
  direction === "asc" ? "ascending" : direction === "desc" ? "descending" : undefined;

/** A column header that sorts by the column, with an arrow for the direction in effect. */
function SortButton({ header, sort }: { header: string; sort: NonNullable<Column<unknown>["sort"]> }) {
  const next = sort.direction === "asc" ? "desc" : "asc";
  return (
    <button
      type="button"
      class="table__sort"
      onClick={sort.onSort}
      title={t(`components.table.sortBy.${next}`, { header })}
    >
      {header}
      <span class="table__sort-arrow" aria-hidden="true">
        {sort.direction === "asc" ? " ▲" : sort.direction === "desc" ? " ▼" : " ↕"}
      </span>
    </button>
  );
}

function rowClass(expanded: boolean, clickable: boolean): string | undefined {
  const names = [expanded && "is-expanded", clickable && "is-clickable"].filter(Boolean);
  return names.length ? names.join(" ") : undefined;
}

function clickRow(event: TargetedMouseEvent<HTMLTableRowElement>, open: () => void) {
  const target = event.target;
  if (target instanceof Element && target.closest("a, button, input, select, textarea, label")) return;
  // Selecting text in a row is not a click on it.
  if (window.getSelection()?.toString()) return;
  open();
}

function Footer<T>({ pager }: { pager: Pager<T> }) {
  if (pager.mode === "pages") return <PageFooter pager={pager} />;
  const shown = pager.rows.value.length;
  const total = pager.total.value;
  return (
    <div class="table-footer">
      <span class="muted">
        {pager.loading.value && shown === 0
          ? t("common.loading")
          : total !== undefined
            ? t("components.table.showingOf", { shown: formatNumber(shown), total: formatNumber(total) })
            : t("components.table.showing", { shown: formatNumber(shown) })}
      </span>
      {pager.nextCursor.value && (
        <button type="button" class="button" onClick={pager.loadMore} disabled={pager.loading.value}>
          {pager.loading.value ? t("common.loading") : t("common.loadMore")}
        </button>
      )}
    </div>
  );
}

/** "pages" mode: which rows are shown, of how many, and Previous/Next. */
function PageFooter<T>({ pager }: { pager: Pager<T> }) {
  const shown = pager.rows.value.length;
  const from = pager.offset.value + 1;
  const to = pager.offset.value + shown;
  const total = pager.total.value;
  const loading = pager.loading.value;
  return (
    <div class="table-footer">
      <span class="muted" data-testid="table-range">
        {loading && shown === 0
          ? t("common.loading")
          : shown === 0
            ? total !== undefined
              ? t("components.table.noneOf", { total: formatNumber(total) })
              : t("common.none")
            : total !== undefined
              ? t("components.table.rangeOf", {
                  from: formatNumber(from),
                  to: formatNumber(to),
                  total: formatNumber(total),
                })
              : t("components.table.range", { from: formatNumber(from), to: formatNumber(to) })}
      </span>
      <div class="table-footer__pages">
        <button
          type="button"
          class="button button--small"
          onClick={pager.previous}
          disabled={loading || pager.pageIndex.value === 0}
        >
          {t("components.table.previous")}
        </button>
        <button
          type="button"
          class="button button--small"
          onClick={pager.loadMore}
          disabled={loading || !pager.nextCursor.value}
        >
          {t("common.next")}
        </button>
      </div>
    </div>
  );
}

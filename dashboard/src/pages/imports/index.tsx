import { useEffect } from "preact/hooks";
import { audienceApi, type ImportSummary } from "../../api/segments-imports";
import { EditorsOnly } from "../../components/editors-only";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { formatDateTime, formatNumber } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { canEdit } from "../../session";
import { ImportProgress } from "./progress";
import { StatusBadge } from "./status-badge";
import { NewImport } from "./wizard";
import "./imports.css";
import { t } from "../../i18n";

const REFRESH_MS = 2000;

const count = (value: number) => formatNumber(value);

/** The table's columns, made at render so their headers follow the language. */
const columns = (): Column<ImportSummary>[] => [
  {
    header: t("imports.columns.file"),
    cell: (job) => (
      <a href={`/imports/${encodeURIComponent(job.id)}`}>{job.filename || t("imports.columns.unnamed")}</a>
    ),
  },
  { header: t("common.status"), cell: (job) => <StatusBadge status={job.status} /> },
  {
    header: t("imports.columns.rows"),
    class: "nowrap",
    cell: (job) =>
      job.status === "done"
        ? count(job.total)
        : t("imports.columns.processedOf", { processed: count(job.processed), total: count(job.total) }),
  },
  { header: t("imports.columns.inserted"), cell: (job) => count(job.inserted) },
  { header: t("imports.columns.updated"), cell: (job) => count(job.updated) },
  { header: t("imports.columns.skipped"), cell: (job) => count(job.skipped) },
  { header: t("imports.columns.failed"), cell: (job) => count(job.failed) },
  { header: t("imports.columns.started"), class: "nowrap", cell: (job) => formatDateTime(job.createdAt) },
];

/** Past and running imports, newest first; "New import" opens the wizard. */
export function ImportsPage() {
  const pager = usePager((cursor) => audienceApi.imports.list({ limit: 50, cursor }));
  const active = pager.rows.value.some((job) => job.status === "queued" || job.status === "running");
  // While an import is running its row keeps moving; the first page is enough to watch.
  useEffect(() => {
    if (!active || pager.nextCursor.value) return;
    const timer = setTimeout(pager.reload, REFRESH_MS);
    return () => clearTimeout(timer);
  }, [active, pager.rows.value]);
  return (
    <Page
      title={t("imports.title")}
      intro={t("imports.intro")}
      actions={
        canEdit.value && (
          <a class="button button--primary" href="/imports/new">
            {t("imports.new")}
          </a>
        )
      }
    >
      <Table
        label={t("imports.title")}
        columns={columns()}
        pager={pager}
        rowKey={(job) => job.id}
        empty={t("imports.empty")}
      />
    </Page>
  );
}

/** `/imports/new` is the wizard; any other id is that import's progress and summary. */
export function ImportPage({ id = "new" }: { id?: string }) {
  if (id !== "new") return <ImportProgress key={id} id={id} />;
  return (
    <EditorsOnly title={t("imports.new")} what="imports">
      <NewImport />
    </EditorsOnly>
  );
}

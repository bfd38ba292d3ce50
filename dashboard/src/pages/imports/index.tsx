import { useEffect } from "preact/hooks";
import { audienceApi, type ImportSummary } from "../../api/segments-imports";
import { EditorsOnly } from "../../components/editors-only";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { canEdit } from "../../session";
import { ImportProgress } from "./progress";
import { StatusBadge } from "./status-badge";
import { NewImport } from "./wizard";
import "./imports.css";

const REFRESH_MS = 2000;

const count = (value: number) => value.toLocaleString();

const columns: Column<ImportSummary>[] = [
  {
    header: "File",
    cell: (job) => <a href={`/imports/${encodeURIComponent(job.id)}`}>{job.filename || "Import"}</a>,
  },
  { header: "Status", cell: (job) => <StatusBadge status={job.status} /> },
  {
    header: "Rows",
    class: "nowrap",
    cell: (job) =>
      job.status === "done" ? count(job.total) : `${count(job.processed)} / ${count(job.total)}`,
  },
  { header: "Inserted", cell: (job) => count(job.inserted) },
  { header: "Updated", cell: (job) => count(job.updated) },
  { header: "Skipped", cell: (job) => count(job.skipped) },
  { header: "Failed", cell: (job) => count(job.failed) },
  { header: "Started", class: "nowrap", cell: (job) => formatDateTime(job.createdAt) },
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
      title="Imports"
      intro="Add or update subscribers from CSV files, and see how each import went row by row."
      actions={
        canEdit.value && (
          <a class="button button--primary" href="/imports/new">
            New import
          </a>
        )
      }
    >
      <Table
        label="Imports"
        columns={columns}
        pager={pager}
        rowKey={(job) => job.id}
        empty="No imports yet. Start one to bring in subscribers from a CSV file."
      />
    </Page>
  );
}

/** `/imports/new` is the wizard; any other id is that import's progress and summary. */
export function ImportPage({ id = "new" }: { id?: string }) {
  if (id !== "new") return <ImportProgress key={id} id={id} />;
  return (
    <EditorsOnly title="New import" what="imports">
      <NewImport />
    </EditorsOnly>
  );
}

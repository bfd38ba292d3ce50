import { useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { fieldErrors } from "../../api/errors";
import { WORKFLOW_STATUSES, type Workflow, type WorkflowFilters, workflowsApi } from "../../api/workflows";
import { Field } from "../../components/field";
import { FilterBar } from "../../components/filter-bar";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { formatDateTime, formatNumber } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { canEdit } from "../../session";
import { NewWorkflowDialog } from "./new-dialog";
import { statusLabel, WorkflowStatusBadge } from "./status";
import "./workflows.css";
import { Truncated } from "../../components/truncated";

export { WorkflowPage } from "./editor-page";
export { InstancePage } from "./instance-page";
export { InstancesPage } from "./instances";

const columns = (): Column<Workflow>[] => [
  {
    header: t("common.name"),
    class: "wf-name-cell",
    cell: (workflow) => (
      <Truncated href={`/workflows/${encodeURIComponent(workflow.id)}`} text={workflow.name} />
    ),
  },
  { header: t("common.status"), cell: (workflow) => <WorkflowStatusBadge status={workflow.status} /> },
  { header: t("workflows.list.version"), class: "numeric", cell: (workflow) => workflow.version },
  {
    header: t("workflows.list.entered"),
    class: "numeric",
    cell: (workflow) => formatNumber(workflow.counts.entered),
  },
  {
    header: t("workflows.list.active"),
    class: "numeric",
    cell: (workflow) => formatNumber(workflow.counts.active),
  },
  {
    header: t("workflows.list.converted"),
    class: "numeric",
    cell: (workflow) => formatNumber(workflow.counts.converted),
  },
  {
    header: t("workflows.list.updated"),
    class: "nowrap",
    cell: (workflow) => formatDateTime(workflow.updatedAt),
  },
];

const toStatus = (value: string | undefined) => WORKFLOW_STATUSES.find((status) => status === value);

/** Every workflow with its status and counts, filtered by status (kept in the address). */
export function WorkflowsPage() {
  const { query, route } = useLocation();
  const filters: WorkflowFilters = { status: toStatus(query.status) };
  const pager = usePager(
    (cursor) => workflowsApi.list(filters, { limit: 50, cursor }),
    JSON.stringify(filters),
    "pages",
  );
  const errors = fieldErrors(pager.error.value);
  const creating = useSignal(false);
  return (
    <Page
      title={t("workflows.list.title")}
      intro={t("workflows.list.intro")}
      actions={
        canEdit.value && (
          <button type="button" class="button button--primary" onClick={() => (creating.value = true)}>
            {t("workflows.list.new")}
          </button>
        )
      }
    >
      <FilterBar label={t("workflows.list.filters")} class="filters--short">
        <Field
          id="workflows-status"
          label={t("common.status")}
          value={filters.status ?? ""}
          onInput={(status) => route(status ? `/workflows?status=${status}` : "/workflows", true)}
          options={[
            { value: "", label: t("common.anyStatus") },
            ...WORKFLOW_STATUSES.map((s) => ({ value: s, label: statusLabel(s) })),
          ]}
          error={errors.status}
        />
      </FilterBar>
      <Table
        label={t("workflows.list.label")}
        columns={columns()}
        pager={pager}
        rowKey={(workflow) => workflow.id}
        empty={filters.status ? t(`workflows.list.emptyStatus.${filters.status}`) : t("workflows.list.empty")}
        onRowClick={(workflow) => route(`/workflows/${encodeURIComponent(workflow.id)}`)}
      />
      {creating.value && <NewWorkflowDialog onClose={() => (creating.value = false)} />}
    </Page>
  );
}

import { useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { fieldErrors } from "../../api/errors";
import { WORKFLOW_STATUSES, type Workflow, type WorkflowFilters, workflowsApi } from "../../api/workflows";
import { Field } from "../../components/field";
import { FilterBar } from "../../components/filter-bar";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { canEdit } from "../../session";
import { NewWorkflowDialog } from "./new-dialog";
import { WorkflowStatusBadge } from "./status";
import "./workflows.css";
import { Truncated } from "../../components/truncated";

export { WorkflowPage } from "./editor-page";
export { InstancePage } from "./instance-page";
export { InstancesPage } from "./instances";

const count = (value: number) => value.toLocaleString();

const columns: Column<Workflow>[] = [
  {
    header: "Name",
    class: "wf-name-cell",
    cell: (workflow) => (
      <Truncated href={`/workflows/${encodeURIComponent(workflow.id)}`} text={workflow.name} />
    ),
  },
  { header: "Status", cell: (workflow) => <WorkflowStatusBadge status={workflow.status} /> },
  { header: "Version", class: "numeric", cell: (workflow) => workflow.version },
  { header: "Entered", class: "numeric", cell: (workflow) => count(workflow.counts.entered) },
  { header: "Active", class: "numeric", cell: (workflow) => count(workflow.counts.active) },
  { header: "Converted", class: "numeric", cell: (workflow) => count(workflow.counts.converted) },
  { header: "Updated", class: "nowrap", cell: (workflow) => formatDateTime(workflow.updatedAt) },
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
      title="Automations"
      intro="Workflows that react to each subscriber: a trigger, then sends, waits, branches and updates."
      actions={
        canEdit.value && (
          <button type="button" class="button button--primary" onClick={() => (creating.value = true)}>
            New workflow
          </button>
        )
      }
    >
      <FilterBar label="Workflow filters" class="filters--short">
        <Field
          id="workflows-status"
          label="Status"
          value={filters.status ?? ""}
          onInput={(status) => route(status ? `/workflows?status=${status}` : "/workflows", true)}
          options={[
            { value: "", label: "Any status" },
            ...WORKFLOW_STATUSES.map((s) => ({ value: s, label: s })),
          ]}
          error={errors.status}
        />
      </FilterBar>
      <Table
        label="Workflows"
        columns={columns}
        pager={pager}
        rowKey={(workflow) => workflow.id}
        empty={
          filters.status
            ? `No ${filters.status} workflows.`
            : "No workflows yet. Start one from a blank canvas or a starting point."
        }
        onRowClick={(workflow) => route(`/workflows/${encodeURIComponent(workflow.id)}`)}
      />
      {creating.value && <NewWorkflowDialog onClose={() => (creating.value = false)} />}
    </Page>
  );
}

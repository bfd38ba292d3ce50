import { useLocation, useRoute } from "preact-iso";
import { fieldErrors } from "../../api/errors";
import {
  INSTANCE_STATUSES,
  type InstanceFilters,
  type WorkflowInstance,
  type WorkflowNode,
  workflowsApi,
} from "../../api/workflows";
import { Field } from "../../components/field";
import { FilterBar } from "../../components/filter-bar";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { useResource } from "../../hooks/use-resource";
import { nodeTitle } from "./model";
import { InstanceStatusBadge } from "./status";

const toStatus = (value: string | undefined) => INSTANCE_STATUSES.find((status) => status === value);
const runUrl = (id: string, run: WorkflowInstance) =>
  `/workflows/${encodeURIComponent(id)}/instances/${encodeURIComponent(run.id)}`;

/** `/workflows/:id/instances`: the workflow's runs, filtered by status and by the step they stand at. */
export function InstancesPage() {
  const { params } = useRoute();
  const { query, route } = useLocation();
  const id = params.id ?? "";
  const workflow = useResource(() => workflowsApi.get(id), id);
  const filters: InstanceFilters = { status: toStatus(query.status), nodeId: query.nodeId || undefined };
  const pager = usePager(
    (cursor) => workflowsApi.instances(id, filters, { limit: 50, cursor }),
    `${id}:${JSON.stringify(filters)}`,
    "pages",
  );
  const nodes = workflow.data.value?.nodes ?? [];
  const go = (next: InstanceFilters) => {
    const search = new URLSearchParams();
    if (next.status) search.set("status", next.status);
    if (next.nodeId) search.set("nodeId", next.nodeId);
    const text = search.toString();
    route(`/workflows/${encodeURIComponent(id)}/instances${text ? `?${text}` : ""}`, true);
  };
  return (
    <Page
      title={workflow.data.value ? `Runs of ${workflow.data.value.name}` : "Runs"}
      intro="One row per subscriber's run through the workflow: where it stands, and when it moves next."
      actions={
        <a class="button" href={`/workflows/${encodeURIComponent(id)}`}>
          Back to the workflow
        </a>
      }
    >
      <RunFilters filters={filters} nodes={nodes} errors={fieldErrors(pager.error.value)} onChange={go} />
      <Table
        label="Runs"
        columns={runColumns(id, nodes)}
        pager={pager}
        rowKey={(run) => run.id}
        empty="No runs match. Runs appear once the workflow is active and subscribers enter it."
        onRowClick={(run) => route(runUrl(id, run))}
      />
    </Page>
  );
}

interface RunFiltersProps {
  filters: InstanceFilters;
  nodes: WorkflowNode[];
  errors: Record<string, string>;
  onChange: (filters: InstanceFilters) => void;
}

function RunFilters({ filters, nodes, errors, onChange }: RunFiltersProps) {
  return (
    <FilterBar label="Run filters" class="filters--short">
      <Field
        id="runs-status"
        label="Status"
        value={filters.status ?? ""}
        onInput={(status) => onChange({ ...filters, status: toStatus(status) })}
        options={[
          { value: "", label: "Any status" },
          ...INSTANCE_STATUSES.map((s) => ({ value: s, label: s })),
        ]}
        error={errors.status}
      />
      <Field
        id="runs-node"
        label="At step"
        value={filters.nodeId ?? ""}
        onInput={(nodeId) => onChange({ ...filters, nodeId: nodeId || undefined })}
        options={[
          { value: "", label: "Any step" },
          ...nodes.map((node) => ({ value: node.id, label: `${nodeTitle(node)} (${node.id})` })),
        ]}
        error={errors.nodeId}
      />
    </FilterBar>
  );
}

function runColumns(id: string, nodes: WorkflowNode[]): Column<WorkflowInstance>[] {
  const titles = new Map(nodes.map((node) => [node.id, nodeTitle(node)]));
  return [
    { header: "Subscriber", cell: (run) => <a href={runUrl(id, run)}>{run.email ?? "(erased)"}</a> },
    { header: "Status", cell: (run) => <InstanceStatusBadge status={run.status} /> },
    {
      header: "At step",
      cell: (run) => (run.currentNode ? (titles.get(run.currentNode) ?? run.currentNode) : "—"),
    },
    { header: "Wakes", class: "nowrap", cell: (run) => formatDateTime(run.wakeAt) },
    { header: "Version", class: "numeric", cell: (run) => run.version },
    { header: "Entered", class: "nowrap", cell: (run) => formatDateTime(run.enteredAt) },
  ];
}

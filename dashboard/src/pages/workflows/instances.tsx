import { useLocation, useRoute } from "preact-iso";
import { fieldErrors } from "../../api/errors";
import {
  INSTANCE_STATUSES,
  type InstanceFilters,
  type WorkflowInstance,
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
  const errors = fieldErrors(pager.error.value);
  const nodes = workflow.data.value?.nodes ?? [];
  const titles = new Map(nodes.map((node) => [node.id, nodeTitle(node)]));
  const go = (next: InstanceFilters) => {
    const params = new URLSearchParams();
    if (next.status) params.set("status", next.status);
    if (next.nodeId) params.set("nodeId", next.nodeId);
    const text = params.toString();
    route(`/workflows/${encodeURIComponent(id)}/instances${text ? `?${text}` : ""}`, true);
  };
  const columns: Column<WorkflowInstance>[] = [
    {
      header: "Subscriber",
      cell: (run) => (
        <a href={`/workflows/${encodeURIComponent(id)}/instances/${encodeURIComponent(run.id)}`}>
          {run.email ?? "(erased)"}
        </a>
      ),
    },
    { header: "Status", cell: (run) => <InstanceStatusBadge status={run.status} /> },
    {
      header: "At step",
      cell: (run) => (run.currentNode ? (titles.get(run.currentNode) ?? run.currentNode) : "—"),
    },
    { header: "Wakes", class: "nowrap", cell: (run) => formatDateTime(run.wakeAt) },
    { header: "Version", class: "numeric", cell: (run) => run.version },
    { header: "Entered", class: "nowrap", cell: (run) => formatDateTime(run.enteredAt) },
  ];
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
      <FilterBar label="Run filters" class="filters--short">
        <Field
          id="runs-status"
          label="Status"
          value={filters.status ?? ""}
          onInput={(status) => go({ ...filters, status: toStatus(status) })}
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
          onInput={(nodeId) => go({ ...filters, nodeId: nodeId || undefined })}
          options={[
            { value: "", label: "Any step" },
            ...nodes.map((node) => ({ value: node.id, label: `${nodeTitle(node)} (${node.id})` })),
          ]}
          error={errors.nodeId}
        />
      </FilterBar>
      <Table
        label="Runs"
        columns={columns}
        pager={pager}
        rowKey={(run) => run.id}
        empty="No runs match. Runs appear once the workflow is active and subscribers enter it."
        onRowClick={(run) =>
          route(`/workflows/${encodeURIComponent(id)}/instances/${encodeURIComponent(run.id)}`)
        }
      />
    </Page>
  );
}

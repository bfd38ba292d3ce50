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
import { t } from "../../i18n";
import { nodeTitle } from "./model";
import { InstanceStatusBadge, runStatusLabel } from "./status";

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
      title={
        workflow.data.value
          ? t("workflows.runs.titleOf", { name: workflow.data.value.name })
          : t("workflows.runs.label")
      }
      intro={t("workflows.runs.intro")}
      actions={
        <a class="button" href={`/workflows/${encodeURIComponent(id)}`}>
          {t("workflows.runs.back")}
        </a>
      }
    >
      <RunFilters filters={filters} nodes={nodes} errors={fieldErrors(pager.error.value)} onChange={go} />
      <Table
        label={t("workflows.runs.label")}
        columns={runColumns(id, nodes)}
        pager={pager}
        rowKey={(run) => run.id}
        empty={t("workflows.runs.empty")}
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
    <FilterBar label={t("workflows.runs.filters")} class="filters--short">
      <Field
        id="runs-status"
        label={t("common.status")}
        value={filters.status ?? ""}
        onInput={(status) => onChange({ ...filters, status: toStatus(status) })}
        options={[
          { value: "", label: t("common.anyStatus") },
          ...INSTANCE_STATUSES.map((s) => ({ value: s, label: runStatusLabel(s) })),
        ]}
        error={errors.status}
      />
      <Field
        id="runs-node"
        label={t("workflows.runs.atStep")}
        value={filters.nodeId ?? ""}
        onInput={(nodeId) => onChange({ ...filters, nodeId: nodeId || undefined })}
        options={[
          { value: "", label: t("workflows.runs.anyStep") },
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
    {
      header: t("workflows.run.subscriber"),
      cell: (run) => <a href={runUrl(id, run)}>{run.email ?? t("workflows.runs.erased")}</a>,
    },
    { header: t("common.status"), cell: (run) => <InstanceStatusBadge status={run.status} /> },
    {
      header: t("workflows.runs.atStep"),
      cell: (run) => (run.currentNode ? (titles.get(run.currentNode) ?? run.currentNode) : "—"),
    },
    { header: t("workflows.run.wakes"), class: "nowrap", cell: (run) => formatDateTime(run.wakeAt) },
    { header: t("workflows.list.version"), class: "numeric", cell: (run) => run.version },
    { header: t("workflows.list.entered"), class: "nowrap", cell: (run) => formatDateTime(run.enteredAt) },
  ];
}

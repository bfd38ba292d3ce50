import { useSignal } from "@preact/signals";
import { type AuditFilters, type AuditLog, api, fieldErrors } from "../../api/client";
import { ManagersOnly } from "../../components/managers-only";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { formatDateTime, shortId } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { AuditDiff } from "./diff";
import { AuditFilterForm } from "./filters";

export function AuditLogPage() {
  return (
    <ManagersOnly title="Audit log">
      <AuditLogView />
    </ManagersOnly>
  );
}

const columns: Column<AuditLog>[] = [
  {
    header: "Time",
    class: "nowrap",
    cell: (entry) => <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>,
  },
  {
    header: "Actor",
    class: "cell-name",
    cell: (entry) => {
      const name = entry.actorName ?? (entry.actorId ? shortId(entry.actorId) : "—");
      return (
        <>
          <span
            class="truncate"
            title={entry.actorLabel && entry.actorLabel !== name ? `${name} (${entry.actorLabel})` : name}
          >
            {name}
          </span>{" "}
          <span class="badge badge--muted">{entry.actorType.replace("_", " ")}</span>
        </>
      );
    },
  },
  { header: "Action", cell: (entry) => <code>{entry.action}</code> },
  {
    header: "Entity",
    class: "cell-name",
    cell: (entry) => (
      <>
        <span class="muted">{entry.entity.replace("_", " ")}</span>{" "}
        {entry.entityName ? (
          <span
            class="truncate"
            title={entry.entityId ? `${entry.entityName} (${entry.entityId})` : entry.entityName}
          >
            {entry.entityName}
          </span>
        ) : (
          entry.entityId && (
            <code class="muted" title={entry.entityId}>
              {shortId(entry.entityId)}
            </code>
          )
        )}
      </>
    ),
  },
  { header: "IP", cell: (entry) => entry.ip ?? "—" },
];

function AuditLogView() {
  const filters = useSignal<AuditFilters>({});
  const pager = usePager(
    (cursor) => api.auditLogs.list(filters.value, { limit: 50, cursor }),
    JSON.stringify(filters.value),
  );
  const filterErrors = fieldErrors(pager.error.value);

  return (
    <Page
      title="Audit log"
      intro="Every change made through the dashboard or the API: who, what, when and from where."
    >
      <AuditFilterForm
        errors={filterErrors}
        onApply={(next) => {
          // Applying the same filters again means "refresh".
          if (JSON.stringify(next) === JSON.stringify(filters.value)) pager.reload();
          else filters.value = next;
        }}
      />
      <Table
        label="Audit log"
        columns={columns}
        pager={pager}
        rowKey={(entry) => entry.id}
        empty="No entries match these filters."
        expand={(entry) => <AuditDiff entry={entry} />}
        hideError={Object.keys(filterErrors).length > 0}
      />
    </Page>
  );
}

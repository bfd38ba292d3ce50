import { useSignal } from "@preact/signals";
import { type AuditFilters, type AuditLog, api, fieldErrors } from "../../api/client";
import { ManagersOnly } from "../../components/managers-only";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { formatDateTime, shortId } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { hasKey, t } from "../../i18n";
import { AuditDiff } from "./diff";
import { AuditFilterForm } from "./filters";

export function AuditLogPage() {
  return (
    <ManagersOnly title={t("nav.auditLog")}>
      <AuditLogView />
    </ManagersOnly>
  );
}

const columns = (): Column<AuditLog>[] => [
  {
    header: t("auditLog.time"),
    class: "nowrap",
    cell: (entry) => <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>,
  },
  {
    header: t("auditLog.actor"),
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
          <span class="badge badge--muted">{t(`auditLog.actorType.${entry.actorType}`)}</span>
        </>
      );
    },
  },
  { header: t("auditLog.action"), cell: (entry) => <code>{entry.action}</code> },
  {
    header: t("auditLog.entity"),
    class: "cell-name",
    cell: (entry) => (
      <>
        <span class="muted">{entityType(entry.entity)}</span>{" "}
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
  { header: t("auditLog.ip"), cell: (entry) => entry.ip ?? "—" },
];

/** The kind of thing an entry changed, in words; a kind without words yet as the server names it. */
function entityType(entity: string): string {
  const key = `auditLog.entityType.${entity}`;
  return hasKey(key) ? t(key) : entity.replace("_", " ");
}

function AuditLogView() {
  const filters = useSignal<AuditFilters>({});
  const pager = usePager(
    (cursor) => api.auditLogs.list(filters.value, { limit: 50, cursor }),
    JSON.stringify(filters.value),
  );
  const filterErrors = fieldErrors(pager.error.value);

  return (
    <Page title={t("nav.auditLog")} intro={t("auditLog.intro")}>
      <AuditFilterForm
        errors={filterErrors}
        onApply={(next) => {
          // Applying the same filters again means "refresh".
          if (JSON.stringify(next) === JSON.stringify(filters.value)) pager.reload();
          else filters.value = next;
        }}
      />
      <Table
        label={t("nav.auditLog")}
        columns={columns()}
        pager={pager}
        rowKey={(entry) => entry.id}
        empty={t("auditLog.empty")}
        expand={(entry) => <AuditDiff entry={entry} />}
        hideError={Object.keys(filterErrors).length > 0}
      />
    </Page>
  );
}

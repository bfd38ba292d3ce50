import type { DnsRecord, RecordCheck } from "../../api/delivery";
import { CopyButton } from "../../components/copy-button";
import { t } from "../../i18n";

interface RecordsTableProps {
  domain: string;
  records: DnsRecord[];
  /** The last "Check DNS" answer, one per record in the same order; null before a check. */
  checks: RecordCheck[] | null;
}

const STATUS_BADGE: Record<RecordCheck["status"], string> = {
  ok: "badge badge--ok",
  missing: "badge badge--danger",
  mismatch: "badge badge--warning",
  error: "badge badge--muted",
};

/** The DNS records to publish for a domain, each value with a copy button, and how the last check went. */
export function RecordsTable({ domain, records, checks }: RecordsTableProps) {
  return (
    <div class="table-wrap table-wrap--flat">
      <table class="table dns-records" aria-label={t("domains.records.label", { domain })}>
        <thead>
          <tr>
            <th scope="col">{t("domains.records.type")}</th>
            <th scope="col">{t("common.name")}</th>
            <th scope="col">{t("common.value")}</th>
            <th scope="col">{t("domains.records.priority")}</th>
            <th scope="col">{t("domains.records.needed")}</th>
            {checks && <th scope="col">{t("domains.records.check")}</th>}
          </tr>
        </thead>
        <tbody>
          {records.map((record, index) => {
            const check = checks?.[index];
            return (
              <tr
                key={`${record.purpose}:${record.type}:${record.name}:${record.value}`}
                data-purpose={record.purpose}
              >
                <td>
                  <code>{record.type}</code>
                </td>
                <td>
                  <div class="dns-records__copyable">
                    <code class="dns-records__value">{record.name}</code>
                    <CopyButton
                      value={record.name}
                      label={t("domains.records.copyName", { purpose: record.purpose })}
                    />
                  </div>
                </td>
                <td>
                  <div class="dns-records__copyable">
                    <code class="dns-records__value">{record.value}</code>
                    <CopyButton
                      value={record.value}
                      label={t("domains.records.copyValue", { purpose: record.purpose })}
                    />
                  </div>
                  <div class="muted cell-note">{record.note}</div>
                </td>
                <td class="numeric">{record.priority ?? "—"}</td>
                <td>
                  {record.required ? (
                    <span class="badge badge--warning">{t("domains.records.required")}</span>
                  ) : (
                    <span class="badge badge--muted">{t("domains.records.suggested")}</span>
                  )}
                </td>
                {checks && (
                  <td data-testid="dns-status">
                    {check ? (
                      <>
                        <span class={STATUS_BADGE[check.status]}>
                          {t(`domains.records.status.${check.status}`)}
                        </span>
                        {check.status === "mismatch" && check.found.length > 0 && (
                          <div class="muted cell-note">
                            {t("domains.records.found", { values: check.found.join(" · ") })}
                          </div>
                        )}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

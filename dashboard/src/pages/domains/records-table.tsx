import type { DnsRecord, RecordCheck } from "../../api/delivery";
import { CopyButton } from "../../components/copy-button";

interface RecordsTableProps {
  domain: string;
  records: DnsRecord[];
  /** The last "Check DNS" answer, one per record in the same order; null before a check. */
  checks: RecordCheck[] | null;
}

const STATUS_TEXT: Record<RecordCheck["status"], string> = {
  ok: "Published",
  missing: "Not found",
  mismatch: "Different value",
  error: "Lookup failed",
};

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
      <table class="table dns-records" aria-label={`DNS records for ${domain}`}>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
            <th scope="col">Priority</th>
            <th scope="col">Needed</th>
            {checks && <th scope="col">DNS check</th>}
          </tr>
        </thead>
        <tbody>
          {records.map((record, index) => {
            const check = checks?.[index];
            const what = `${record.purpose} record`;
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
                    <CopyButton value={record.name} label={`Copy name of the ${what}`} />
                  </div>
                </td>
                <td>
                  <div class="dns-records__copyable">
                    <code class="dns-records__value">{record.value}</code>
                    <CopyButton value={record.value} label={`Copy value of the ${what}`} />
                  </div>
                  <div class="muted cell-note">{record.note}</div>
                </td>
                <td class="numeric">{record.priority ?? "—"}</td>
                <td>
                  {record.required ? (
                    <span class="badge badge--warning">Required</span>
                  ) : (
                    <span class="badge badge--muted">Suggested</span>
                  )}
                </td>
                {checks && (
                  <td data-testid="dns-status">
                    {check ? (
                      <>
                        <span class={STATUS_BADGE[check.status]}>{STATUS_TEXT[check.status]}</span>
                        {check.status === "mismatch" && check.found.length > 0 && (
                          <div class="muted cell-note">Found: {check.found.join(" · ")}</div>
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

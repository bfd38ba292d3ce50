import type { DomainRow } from "../../../api/analytics";
import { ShareBar } from "../../../components/charts";
import type { Column } from "../../../components/table";
import type { Resource } from "../../../hooks/use-resource";
import { formatCount, formatPercent, ratio } from "../numbers";
import { ReportSection, SimpleTable } from "../parts";

/** The columns, with each domain's bar showing its share of everything sent. */
function columns(totalSent: number): Column<DomainRow>[] {
  return [
    { header: "Domain", cell: (row) => <span class="report-domain">{row.domain}</span> },
    {
      header: "Sent",
      cell: (row) => (
        <ShareBar
          value={ratio(row.sent, totalSent)}
          text={`${formatCount(row.sent)} (${formatPercent(ratio(row.sent, totalSent))})`}
        />
      ),
    },
    {
      header: "Open rate",
      class: "numeric",
      cell: (row) => `${formatPercent(row.openRate)} (${formatCount(row.uniqueOpens)})`,
    },
    {
      header: "Click rate",
      class: "numeric",
      cell: (row) => `${formatPercent(row.clickRate)} (${formatCount(row.uniqueClicks)})`,
    },
    {
      header: "Bounce rate",
      class: "numeric",
      cell: (row) => (
        <span class={row.bounceRate >= 0.05 ? "report-warn" : undefined}>
          {formatPercent(row.bounceRate)} ({formatCount(row.bounces)})
        </span>
      ),
    },
  ];
}

/** Sent, opens, clicks and bounces by recipient domain (gmail.com, outlook.com…), largest first. */
export function DomainsSection({ domains }: { domains: Resource<{ data: DomainRow[] }> }) {
  const rows = domains.data.value?.data ?? [];
  const totalSent = rows.reduce((sum, row) => sum + row.sent, 0);
  return (
    <ReportSection
      id="report-domains"
      title="Recipient domains"
      intro="The 50 domains sent to most. Rates are of the messages sent to each domain; opens and clicks are unique people."
      loading={domains.loading.value}
      error={domains.error.value}
      onRetry={domains.reload}
      empty={rows.length > 0 ? null : "Nothing has been sent yet."}
    >
      <SimpleTable
        label="Recipient domains"
        columns={columns(totalSent)}
        rows={rows}
        rowKey={(row) => row.domain}
      />
    </ReportSection>
  );
}

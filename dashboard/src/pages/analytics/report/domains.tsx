import type { DomainRow } from "../../../api/analytics";
import { ShareBar } from "../../../components/charts";
import type { Column } from "../../../components/table";
import type { Resource } from "../../../hooks/use-resource";
import { t } from "../../../i18n";
import { formatCount, formatPercent, ratio } from "../numbers";
import { ReportSection, SimpleTable } from "../parts";

/** The columns, with each domain's bar showing its share of everything sent. */
function columns(totalSent: number): Column<DomainRow>[] {
  return [
    { header: t("analytics.domains.domain"), cell: (row) => <span class="report-domain">{row.domain}</span> },
    {
      header: t("analytics.sent"),
      cell: (row) => (
        <ShareBar
          value={ratio(row.sent, totalSent)}
          text={`${formatCount(row.sent)} (${formatPercent(ratio(row.sent, totalSent))})`}
        />
      ),
    },
    {
      header: t("analytics.table.openRate"),
      class: "numeric",
      cell: (row) => `${formatPercent(row.openRate)} (${formatCount(row.uniqueOpens)})`,
    },
    {
      header: t("analytics.table.clickRate"),
      class: "numeric",
      cell: (row) => `${formatPercent(row.clickRate)} (${formatCount(row.uniqueClicks)})`,
    },
    {
      header: t("analytics.table.bounceRate"),
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
      title={t("analytics.domains.title")}
      intro={t("analytics.domains.intro")}
      loading={domains.loading.value}
      error={domains.error.value}
      onRetry={domains.reload}
      empty={rows.length > 0 ? null : t("analytics.domains.empty")}
    >
      <SimpleTable
        label={t("analytics.domains.title")}
        columns={columns(totalSent)}
        rows={rows}
        rowKey={(row) => row.domain}
      />
    </ReportSection>
  );
}

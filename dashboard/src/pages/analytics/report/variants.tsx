import type { ReportCampaign, ReportStats, ReportVariant } from "../../../api/analytics";
import type { Column } from "../../../components/table";
import { formatDateTime } from "../../../format";
import type { Resource } from "../../../hooks/use-resource";
import { t } from "../../../i18n";
import { formatCount, formatPercent, ratio } from "../numbers";
import { ReportSection, SimpleTable } from "../parts";

interface VariantsSectionProps {
  campaign: ReportCampaign;
  stats: Resource<ReportStats>;
}

/** An A/B campaign's variants side by side: audience, opens, clicks and losses; the winner marked. */
export function VariantsSection({ campaign, stats }: VariantsSectionProps) {
  const rows = stats.data.value?.variants ?? [];
  const subjects = new Map(campaign.variants.map((v) => [v.id, v.subject]));
  const metric = t(
    campaign.abTest?.metric === "opens" ? "campaigns.ab.metricOpens" : "campaigns.ab.metricClicks",
  );

  const columns: Column<ReportVariant>[] = [
    {
      header: t("analytics.variants.variant"),
      cell: (v) => (
        <span class="report-variant">
          {v.name}
          {v.isWinner && <span class="badge badge--ok">{t("campaigns.variants.winnerBadge")}</span>}
        </span>
      ),
    },
    {
      header: t("analytics.variants.subject"),
      cell: (v) => subjects.get(v.id) ?? <span class="muted">{t("analytics.variants.templateSubject")}</span>,
    },
    { header: t("analytics.report.audience"), class: "numeric", cell: (v) => formatCount(v.audience) },
    { header: t("analytics.sent"), class: "numeric", cell: (v) => formatCount(v.sent) },
    { header: t("analytics.table.openRate"), class: "numeric", cell: (v) => rate(v.uniqueOpens, v.sent) },
    { header: t("analytics.table.clickRate"), class: "numeric", cell: (v) => rate(v.uniqueClicks, v.sent) },
    { header: t("analytics.machineOpens"), class: "numeric", cell: (v) => formatCount(v.machineOpens) },
    { header: t("analytics.bounces"), class: "numeric", cell: (v) => formatCount(v.bounces) },
    { header: t("analytics.unsubscribes"), class: "numeric", cell: (v) => formatCount(v.unsubscribes) },
  ];

  return (
    <ReportSection
      id="report-variants"
      title={t("campaigns.ab.title")}
      intro={
        campaign.abTest
          ? t("analytics.variants.intro", {
              percent: formatPercent(campaign.abTest.testPercent / 100),
              variants: campaign.variants.length,
              metric,
              minutes: formatCount(campaign.abTest.waitMinutes),
            })
          : undefined
      }
      loading={stats.loading.value}
      error={stats.error.value}
      onRetry={stats.reload}
      empty={rows.length > 0 ? null : t("analytics.variants.empty")}
    >
      <SimpleTable label={t("analytics.variants.label")} columns={columns} rows={rows} rowKey={(v) => v.id} />
      <p class="report-winner" data-testid="winner-reason">
        {winnerText(campaign, rows)}
      </p>
    </ReportSection>
  );
}

/** A rate with its count: "25% (3)". */
const rate = (n: number, sent: number) => `${formatPercent(ratio(n, sent))} (${formatCount(n)})`;

function winnerText(campaign: ReportCampaign, rows: ReportVariant[]): string {
  const winner = rows.find((v) => v.isWinner);
  if (winner)
    return `${t("campaigns.variants.winner", { name: winner.name })} ${campaign.winnerReason ?? ""}`.trim();
  if (campaign.status === "testing" && campaign.testEndsAt)
    return t("analytics.variants.running", { date: formatDateTime(campaign.testEndsAt) });
  return campaign.winnerReason ?? t("analytics.variants.noWinner");
}

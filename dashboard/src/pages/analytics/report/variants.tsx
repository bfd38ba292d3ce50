import type { ReportCampaign, ReportStats, ReportVariant } from "../../../api/analytics";
import type { Column } from "../../../components/table";
import { formatDateTime } from "../../../format";
import type { Resource } from "../../../hooks/use-resource";
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
  const metric = campaign.abTest?.metric === "opens" ? "unique opens" : "unique clicks";

  const columns: Column<ReportVariant>[] = [
    {
      header: "Variant",
      cell: (v) => (
        <span class="report-variant">
          {v.name}
          {v.isWinner && <span class="badge badge--ok">winner</span>}
        </span>
      ),
    },
    { header: "Subject", cell: (v) => subjects.get(v.id) ?? <span class="muted">Template's subject</span> },
    { header: "Audience", class: "numeric", cell: (v) => formatCount(v.audience) },
    { header: "Sent", class: "numeric", cell: (v) => formatCount(v.sent) },
    { header: "Open rate", class: "numeric", cell: (v) => rate(v.uniqueOpens, v.sent) },
    { header: "Click rate", class: "numeric", cell: (v) => rate(v.uniqueClicks, v.sent) },
    { header: "Machine opens", class: "numeric", cell: (v) => formatCount(v.machineOpens) },
    { header: "Bounces", class: "numeric", cell: (v) => formatCount(v.bounces) },
    { header: "Unsubscribes", class: "numeric", cell: (v) => formatCount(v.unsubscribes) },
  ];

  return (
    <ReportSection
      id="report-variants"
      title="A/B test"
      intro={
        campaign.abTest
          ? `${formatCount(campaign.abTest.testPercent)}% of the audience split between ${campaign.variants.length} variants; the one with the most ${metric} after ${formatCount(campaign.abTest.waitMinutes)} minutes wins and goes to the rest.`
          : undefined
      }
      loading={stats.loading.value}
      error={stats.error.value}
      onRetry={stats.reload}
      empty={rows.length > 0 ? null : "No variant has been sent yet."}
    >
      <SimpleTable label="Variants" columns={columns} rows={rows} rowKey={(v) => v.id} />
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
  if (winner) return `Winner: ${winner.name}. ${campaign.winnerReason ?? ""}`.trim();
  if (campaign.status === "testing" && campaign.testEndsAt)
    return `The test is running; the winner is picked at ${formatDateTime(campaign.testEndsAt)}.`;
  return campaign.winnerReason ?? "No winner has been picked yet.";
}

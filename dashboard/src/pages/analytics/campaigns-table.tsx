import type { ComponentChildren } from "preact";
import { type CampaignWithStats, campaignsWithStats, type ReportStatus } from "../../api/analytics";
import { Field } from "../../components/field";
import { type Column, Table } from "../../components/table";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { formatCount, formatPercent } from "./numbers";
import { CampaignStatusBadge } from "./parts";

/** Statuses a report can be about, for the filter; "all" includes drafts. */
export const STATUS_FILTERS = ["sent", "sending", "testing", "paused", "cancelled", "failed", "all"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

const reportUrl = (id: string) => `/analytics/campaigns/${encodeURIComponent(id)}`;

/** A figure from the stats, or a dash where the campaign has none. */
const figure = (
  row: CampaignWithStats,
  show: (stats: NonNullable<CampaignWithStats["stats"]>) => ComponentChildren,
) => (row.stats ? show(row.stats) : <span class="muted">—</span>);

/** The columns every campaign table of these pages shares: name (to the report), status, rates. */
export function campaignColumns(): Column<CampaignWithStats>[] {
  return [
    {
      header: t("analytics.table.campaign"),
      class: "cell-name",
      cell: ({ campaign }) => (
        <a class="truncate" href={reportUrl(campaign.id)} title={campaign.name}>
          {campaign.name}
        </a>
      ),
    },
    { header: t("common.status"), cell: ({ campaign }) => <CampaignStatusBadge status={campaign.status} /> },
    {
      header: t("analytics.table.started"),
      class: "nowrap",
      cell: ({ campaign }) => formatDateTime(campaign.startedAt),
    },
    {
      header: t("analytics.table.sent"),
      class: "numeric",
      cell: (row) => figure(row, (s) => sentCell(row.campaign, s)),
    },
    {
      header: t("analytics.table.openRate"),
      class: "numeric",
      cell: (row) => figure(row, (s) => `${formatPercent(s.openRate)} (${formatCount(s.uniqueOpens)})`),
    },
    {
      header: t("analytics.table.clickRate"),
      class: "numeric",
      cell: (row) => figure(row, (s) => `${formatPercent(s.clickRate)} (${formatCount(s.uniqueClicks)})`),
    },
    {
      header: t("analytics.table.bounceRate"),
      class: "numeric",
      cell: (row) => figure(row, (s) => formatPercent(s.bounceRate)),
    },
  ];
}

/** What was sent, and what never was: skipped by a cancel, or every message failed. */
function sentCell(campaign: CampaignWithStats["campaign"], s: NonNullable<CampaignWithStats["stats"]>) {
  if (campaign.status === "failed" && s.sent === 0)
    return <span class="text-danger">{t("analytics.table.allFailed", { n: formatCount(s.failed) })}</span>;
  if (s.skipped > 0 && campaign.status === "cancelled")
    return t("analytics.table.sentSkipped", { sent: formatCount(s.sent), skipped: formatCount(s.skipped) });
  return formatCount(s.sent);
}

interface CampaignsTableProps {
  status: StatusFilter;
  onStatus: (status: StatusFilter) => void;
}

/** Every campaign with a given status, a page of 20 at a time from the server, each with its rates. */
export function CampaignsTable({ status, onStatus }: CampaignsTableProps) {
  const filter: ReportStatus | undefined = status === "all" ? undefined : status;
  const pager = usePager((cursor) => campaignsWithStats(filter, { limit: 20, cursor }), status, "pages");
  return (
    <section class="analytics-campaigns" aria-labelledby="analytics-campaigns">
      <div class="report-section__head">
        <div>
          <h2 id="analytics-campaigns">{t("analytics.table.title")}</h2>
          <p class="muted report-section__intro">{t("analytics.table.intro")}</p>
        </div>
        <div class="analytics-campaigns__filter">
          <Field
            id="analytics-status"
            label={t("common.status")}
            value={status}
            onInput={(value) => onStatus(STATUS_FILTERS.find((s) => s === value) ?? "sent")}
            options={STATUS_FILTERS.map((s) => ({
              value: s,
              label: t(`analytics.table.filter.${s}`),
            }))}
          />
        </div>
      </div>
      <Table
        label={t("analytics.table.title")}
        columns={campaignColumns()}
        pager={pager}
        rowKey={({ campaign }) => campaign.id}
        empty={
          status === "sent"
            ? t("analytics.table.noneSent")
            : status === "all"
              ? t("analytics.table.none")
              : t("analytics.table.noneWithStatus", { status: t(`campaigns.status.${status}`) })
        }
      />
    </section>
  );
}

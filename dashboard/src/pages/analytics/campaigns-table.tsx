import type { ComponentChildren } from "preact";
import { type CampaignWithStats, campaignsWithStats, type ReportStatus } from "../../api/analytics";
import { Field } from "../../components/field";
import { type Column, Table } from "../../components/table";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
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
      header: "Campaign",
      class: "cell-name",
      cell: ({ campaign }) => (
        <a class="truncate" href={reportUrl(campaign.id)} title={campaign.name}>
          {campaign.name}
        </a>
      ),
    },
    { header: "Status", cell: ({ campaign }) => <CampaignStatusBadge status={campaign.status} /> },
    { header: "Started", class: "nowrap", cell: ({ campaign }) => formatDateTime(campaign.startedAt) },
    { header: "Sent", class: "numeric", cell: (row) => figure(row, (s) => sentCell(row.campaign, s)) },
    {
      header: "Open rate",
      class: "numeric",
      cell: (row) => figure(row, (s) => `${formatPercent(s.openRate)} (${formatCount(s.uniqueOpens)})`),
    },
    {
      header: "Click rate",
      class: "numeric",
      cell: (row) => figure(row, (s) => `${formatPercent(s.clickRate)} (${formatCount(s.uniqueClicks)})`),
    },
    {
      header: "Bounce rate",
      class: "numeric",
      cell: (row) => figure(row, (s) => formatPercent(s.bounceRate)),
    },
  ];
}

/** What was sent, and what never was: skipped by a cancel, or every message failed. */
function sentCell(campaign: CampaignWithStats["campaign"], s: NonNullable<CampaignWithStats["stats"]>) {
  if (campaign.status === "failed" && s.sent === 0)
    return <span class="text-danger">All {formatCount(s.failed)} failed</span>;
  if (s.skipped > 0 && campaign.status === "cancelled")
    return `${formatCount(s.sent)} · ${formatCount(s.skipped)} skipped`;
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
          <h2 id="analytics-campaigns">Campaigns</h2>
          <p class="muted report-section__intro">
            All time, newest first; open and click rates count people, not machine opens. Pick one for its
            full report.
          </p>
        </div>
        <div class="analytics-campaigns__filter">
          <Field
            id="analytics-status"
            label="Status"
            value={status}
            onInput={(value) => onStatus(STATUS_FILTERS.find((s) => s === value) ?? "sent")}
            options={STATUS_FILTERS.map((s) => ({
              value: s,
              label: s === "all" ? "All, drafts too" : capital(s),
            }))}
          />
        </div>
      </div>
      <Table
        label="Campaigns"
        columns={campaignColumns()}
        pager={pager}
        rowKey={({ campaign }) => campaign.id}
        empty={
          status === "sent"
            ? "No campaign has been sent yet."
            : `No ${status === "all" ? "" : `${status} `}campaigns.`
        }
      />
    </section>
  );
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

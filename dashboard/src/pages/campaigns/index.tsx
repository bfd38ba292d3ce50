import { useEffect } from "preact/hooks";
import { useLocation } from "preact-iso";
import { CAMPAIGN_STATUSES, type Campaign, type CampaignFilters, campaignsApi } from "../../api/campaigns";
import { fieldErrors } from "../../api/errors";
import { Field } from "../../components/field";
import { FilterBar } from "../../components/filter-bar";
import { Page } from "../../components/page";
import { ProgressBar } from "../../components/progress-bar";
import { type Column, Table } from "../../components/table";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { canEdit } from "../../session";
import { POLL_MS } from "./live";
import { CampaignStatusBadge, isLive } from "./status";
import { formatScheduled } from "./zoned-time";
import "./campaigns.css";

export { CampaignNewPage, CampaignPage } from "./campaign-page";

const columns: Column<Campaign>[] = [
  {
    header: "Name",
    class: "cell-name",
    cell: (campaign) => (
      <a class="truncate" href={`/campaigns/${encodeURIComponent(campaign.id)}`} title={campaign.name}>
        {campaign.name}
      </a>
    ),
  },
  { header: "Status", cell: (campaign) => <CampaignStatusBadge status={campaign.status} /> },
  {
    header: "Audience",
    class: "numeric",
    cell: (campaign) => (campaign.audienceSize === null ? "—" : campaign.audienceSize.toLocaleString()),
  },
  { header: "Progress", cell: (campaign) => <RowProgress campaign={campaign} /> },
  { header: "When", class: "nowrap", cell: (campaign) => when(campaign) },
];

function RowProgress({ campaign }: { campaign: Campaign }) {
  const done = campaign.sentCount + campaign.failedCount + campaign.bounceCount;
  if (campaign.audienceSize === null) return <span class="muted">—</span>;
  if (campaign.status === "sent")
    return (
      <span>
        {campaign.sentCount.toLocaleString()} sent ·{" "}
        <a href={`/analytics/campaigns/${encodeURIComponent(campaign.id)}`}>Report</a>
      </span>
    );
  return (
    <ProgressBar
      class="progress-bar--row"
      label={`Progress of ${campaign.name}`}
      value={done}
      max={campaign.audienceSize}
      text={`${campaign.sentCount.toLocaleString()} / ${campaign.audienceSize.toLocaleString()}`}
    />
  );
}

/** The time that goes with the status: sent, scheduled (with its zone), started or created. */
function when(campaign: Campaign): string {
  switch (campaign.status) {
    case "sent":
      return `Sent ${formatDateTime(campaign.finishedAt)}`;
    case "scheduled":
      return `Scheduled ${formatScheduled(campaign.sendAt, campaign.timezone)}`;
    case "draft":
      return `Created ${formatDateTime(campaign.createdAt)}`;
    case "cancelled":
      return `Cancelled ${formatDateTime(campaign.finishedAt)}`;
    case "failed":
      return `Failed ${formatDateTime(campaign.finishedAt)}`;
    default:
      return `Started ${formatDateTime(campaign.startedAt)}`;
  }
}

const toStatus = (value: string | undefined) => CAMPAIGN_STATUSES.find((status) => status === value);

/** The address of the list with these filters (kept there so a reload or a link keeps them). */
function listUrl(filters: CampaignFilters): string {
  const q = new URLSearchParams();
  if (filters.status) q.set("status", filters.status);
  if (filters.archived === "true") q.set("archived", "true");
  const s = q.toString();
  return s ? `/campaigns?${s}` : "/campaigns";
}

/** All campaigns, paged on the server, filtered by status; the archived ones apart. */
export function CampaignsPage() {
  const { query, route } = useLocation();
  const filters: CampaignFilters = {
    status: toStatus(query.status),
    ...(query.archived === "true" ? { archived: "true" as const } : {}),
  };
  const key = JSON.stringify(filters);
  const pager = usePager((cursor) => campaignsApi.list(filters, { limit: 50, cursor }), key, "pages");
  const errors = fieldErrors(pager.error.value);
  const live = pager.rows.value.some((campaign) => isLive(campaign.status));
  // A campaign on this page is sending: keep its row moving (the first page only, to keep the place).
  useEffect(() => {
    if (!live || pager.pageIndex.value !== 0) return;
    const timer = setTimeout(pager.reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [live, pager.rows.value]);

  return (
    <Page
      title="Campaigns"
      intro="One-off sends to lists and segments: build, test, schedule, and follow each one as it goes out."
      actions={
        canEdit.value && (
          <a class="button button--primary" href="/campaigns/new">
            New campaign
          </a>
        )
      }
    >
      <FilterBar label="Campaign filters" class="campaign-filters">
        <Field
          id="campaigns-status"
          label="Status"
          value={filters.status ?? ""}
          onInput={(status) => route(listUrl({ ...filters, status: toStatus(status) }), true)}
          options={[
            { value: "", label: "Any status" },
            ...CAMPAIGN_STATUSES.map((s) => ({ value: s, label: s })),
          ]}
          error={errors.status}
        />
        <Field
          id="campaigns-archived"
          label="Show"
          value={filters.archived === "true" ? "archived" : ""}
          onInput={(value) =>
            route(
              listUrl({ status: filters.status, ...(value === "archived" ? { archived: "true" } : {}) }),
              true,
            )
          }
          options={[
            { value: "", label: "Campaigns in use" },
            { value: "archived", label: "Archived campaigns" },
          ]}
        />
      </FilterBar>
      <Table
        label="Campaigns"
        columns={columns}
        pager={pager}
        rowKey={(campaign) => campaign.id}
        empty={
          filters.archived === "true"
            ? "No archived campaigns."
            : filters.status
              ? `No ${filters.status} campaigns.`
              : "No campaigns yet."
        }
        onRowClick={(campaign) => route(`/campaigns/${encodeURIComponent(campaign.id)}`)}
      />
    </Page>
  );
}

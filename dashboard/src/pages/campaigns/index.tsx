import { useEffect } from "preact/hooks";
import { useLocation } from "preact-iso";
import { CAMPAIGN_STATUSES, type Campaign, type CampaignFilters, campaignsApi } from "../../api/campaigns";
import { fieldErrors } from "../../api/errors";
import { Field } from "../../components/field";
import { FilterBar } from "../../components/filter-bar";
import { Page } from "../../components/page";
import { ProgressBar } from "../../components/progress-bar";
import { type Column, Table } from "../../components/table";
import { formatDateTime, formatNumber } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { canEdit } from "../../session";
import { POLL_MS } from "./live";
import { CampaignStatusBadge, campaignStatusLabel, isLive } from "./status";
import { formatScheduled } from "./zoned-format";
import "./campaigns.css";

export { CampaignNewPage, CampaignPage } from "./campaign-page";

const columns = (): Column<Campaign>[] => [
  {
    header: t("common.name"),
    class: "cell-name",
    cell: (campaign) => (
      <a class="truncate" href={`/campaigns/${encodeURIComponent(campaign.id)}`} title={campaign.name}>
        {campaign.name}
      </a>
    ),
  },
  { header: t("common.status"), cell: (campaign) => <CampaignStatusBadge status={campaign.status} /> },
  {
    header: t("campaigns.list.audience"),
    class: "numeric",
    cell: (campaign) => (campaign.audienceSize === null ? "—" : formatNumber(campaign.audienceSize)),
  },
  { header: t("campaigns.list.progress"), cell: (campaign) => <RowProgress campaign={campaign} /> },
  { header: t("campaigns.list.when"), class: "nowrap", cell: (campaign) => when(campaign) },
];

function RowProgress({ campaign }: { campaign: Campaign }) {
  const done = campaign.sentCount + campaign.failedCount + campaign.bounceCount;
  if (campaign.audienceSize === null) return <span class="muted">—</span>;
  if (campaign.status === "sent")
    return (
      <span>
        {t("campaigns.list.sentCount", { n: formatNumber(campaign.sentCount) })}{" "}
        <a href={`/analytics/campaigns/${encodeURIComponent(campaign.id)}`}>{t("campaigns.report")}</a>
      </span>
    );
  return (
    <ProgressBar
      class="progress-bar--row"
      label={t("campaigns.list.progressOf", { name: campaign.name })}
      value={done}
      max={campaign.audienceSize}
      text={`${formatNumber(campaign.sentCount)} / ${formatNumber(campaign.audienceSize)}`}
    />
  );
}

/** The time that goes with the status: sent, scheduled (with its zone), started or created. */
function when(campaign: Campaign): string {
  switch (campaign.status) {
    case "sent":
      return t("campaigns.when.sent", { date: formatDateTime(campaign.finishedAt) });
    case "scheduled":
      return t("campaigns.when.scheduled", { date: formatScheduled(campaign.sendAt, campaign.timezone) });
    case "draft":
      return t("campaigns.when.created", { date: formatDateTime(campaign.createdAt) });
    case "cancelled":
      return t("campaigns.when.cancelled", { date: formatDateTime(campaign.finishedAt) });
    case "failed":
      return t("campaigns.when.failed", { date: formatDateTime(campaign.finishedAt) });
    default:
      return t("campaigns.when.started", { date: formatDateTime(campaign.startedAt) });
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
      title={t("campaigns.list.title")}
      intro={t("campaigns.list.intro")}
      actions={
        canEdit.value && (
          <a class="button button--primary" href="/campaigns/new">
            {t("campaigns.new")}
          </a>
        )
      }
    >
      <FilterBar label={t("campaigns.list.filters")} class="campaign-filters">
        <Field
          id="campaigns-status"
          label={t("common.status")}
          value={filters.status ?? ""}
          onInput={(status) => route(listUrl({ ...filters, status: toStatus(status) }), true)}
          options={[
            { value: "", label: t("common.anyStatus") },
            ...CAMPAIGN_STATUSES.map((s) => ({ value: s, label: campaignStatusLabel(s) })),
          ]}
          error={errors.status}
        />
        <Field
          id="campaigns-archived"
          label={t("campaigns.list.show")}
          value={filters.archived === "true" ? "archived" : ""}
          onInput={(value) =>
            route(
              listUrl({ status: filters.status, ...(value === "archived" ? { archived: "true" } : {}) }),
              true,
            )
          }
          options={[
            { value: "", label: t("campaigns.list.inUse") },
            { value: "archived", label: t("campaigns.list.archived") },
          ]}
        />
      </FilterBar>
      <Table
        label={t("campaigns.list.title")}
        columns={columns()}
        pager={pager}
        rowKey={(campaign) => campaign.id}
        empty={
          filters.archived === "true"
            ? t("campaigns.list.noArchived")
            : filters.status
              ? t("campaigns.list.noneWithStatus", { status: campaignStatusLabel(filters.status) })
              : t("campaigns.list.none")
        }
        onRowClick={(campaign) => route(`/campaigns/${encodeURIComponent(campaign.id)}`)}
      />
    </Page>
  );
}

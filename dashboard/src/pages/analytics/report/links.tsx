import { useSignal } from "@preact/signals";
import type { LinkRow } from "../../../api/analytics";
import { ShareBar } from "../../../components/charts";
import type { Column } from "../../../components/table";
import type { Resource } from "../../../hooks/use-resource";
import { t } from "../../../i18n";
import { formatCount } from "../numbers";
import { ReportSection, SimpleTable } from "../parts";

const FIRST = 20;

const columns = (): Column<LinkRow>[] => [
  {
    header: t("analytics.links.link"),
    class: "report-url",
    cell: (row) => (
      <a href={row.url} target="_blank" rel="noopener noreferrer" title={row.url}>
        {row.url}
      </a>
    ),
  },
  { header: t("analytics.links.clicks"), class: "numeric", cell: (row) => formatCount(row.clicks) },
  { header: t("analytics.uniqueClicks"), class: "numeric", cell: (row) => formatCount(row.uniqueClicks) },
  { header: t("analytics.links.share"), cell: (row) => <ShareBar value={row.share} tone="green" /> },
];

/** Clicks by people per link, most clicked first, with each link's share of all clicks. */
export function LinksSection({ links }: { links: Resource<{ data: LinkRow[] }> }) {
  const all = useSignal(false);
  const rows = links.data.value?.data ?? [];
  const shown = all.value ? rows : rows.slice(0, FIRST);
  return (
    <ReportSection
      id="report-links"
      title={t("analytics.links.title")}
      intro={t("analytics.links.intro")}
      loading={links.loading.value}
      error={links.error.value}
      onRetry={links.reload}
      empty={rows.length > 0 ? null : t("analytics.links.empty")}
    >
      <SimpleTable
        label={t("analytics.links.title")}
        columns={columns()}
        rows={shown}
        rowKey={(row) => row.url}
      />
      {rows.length > FIRST && (
        <button type="button" class="button button--small" onClick={() => (all.value = !all.value)}>
          {all.value
            ? t("analytics.links.showFirst", { n: formatCount(FIRST) })
            : t("analytics.links.showAll", { n: formatCount(rows.length) })}
        </button>
      )}
    </ReportSection>
  );
}

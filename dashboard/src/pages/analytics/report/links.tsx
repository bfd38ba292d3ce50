import { useSignal } from "@preact/signals";
import type { LinkRow } from "../../../api/analytics";
import { ShareBar } from "../../../components/charts";
import type { Column } from "../../../components/table";
import type { Resource } from "../../../hooks/use-resource";
import { formatCount } from "../numbers";
import { ReportSection, SimpleTable } from "../parts";

const FIRST = 20;

const columns: Column<LinkRow>[] = [
  {
    header: "Link",
    class: "report-url",
    cell: (row) => (
      <a href={row.url} target="_blank" rel="noopener noreferrer" title={row.url}>
        {row.url}
      </a>
    ),
  },
  { header: "Clicks", class: "numeric", cell: (row) => formatCount(row.clicks) },
  { header: "Unique clicks", class: "numeric", cell: (row) => formatCount(row.uniqueClicks) },
  { header: "Share of clicks", cell: (row) => <ShareBar value={row.share} tone="green" /> },
];

/** Clicks by people per link, most clicked first, with each link's share of all clicks. */
export function LinksSection({ links }: { links: Resource<{ data: LinkRow[] }> }) {
  const all = useSignal(false);
  const rows = links.data.value?.data ?? [];
  const shown = all.value ? rows : rows.slice(0, FIRST);
  return (
    <ReportSection
      id="report-links"
      title="Links"
      intro="Clicks by people on each link; scanner clicks are left out."
      loading={links.loading.value}
      error={links.error.value}
      onRetry={links.reload}
      empty={rows.length > 0 ? null : "No link has been clicked yet."}
    >
      <SimpleTable label="Links" columns={columns} rows={shown} rowKey={(row) => row.url} />
      {rows.length > FIRST && (
        <button type="button" class="button button--small" onClick={() => (all.value = !all.value)}>
          {all.value ? `Show the first ${FIRST}` : `Show all ${formatCount(rows.length)} links`}
        </button>
      )}
    </ReportSection>
  );
}

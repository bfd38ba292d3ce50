import { audienceApi, type Segment } from "../../api/segments-imports";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { Truncated } from "../../components/truncated";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { canEdit } from "../../session";

export { SegmentPage } from "./editor";

const columns = (): Column<Segment>[] => [
  {
    header: t("common.name"),
    cell: (segment) => <Truncated href={`/segments/${encodeURIComponent(segment.id)}`} text={segment.name} />,
  },
  {
    header: t("segments.list.created"),
    cell: (segment) => formatDateTime(segment.createdAt),
    class: "nowrap",
  },
  {
    header: t("segments.list.updated"),
    cell: (segment) => formatDateTime(segment.updatedAt),
    class: "nowrap",
  },
];

/** Saved segments; each opens in the builder. */
export function SegmentsPage() {
  const pager = usePager((cursor) => audienceApi.segments.list({ limit: 50, cursor }));
  return (
    <Page
      title={t("segments.list.title")}
      intro={t("segments.list.intro")}
      actions={
        canEdit.value && (
          <a class="button button--primary" href="/segments/new">
            {t("segments.list.new")}
          </a>
        )
      }
    >
      <Table
        label={t("segments.list.title")}
        columns={columns()}
        pager={pager}
        rowKey={(segment) => segment.id}
        empty={t("segments.list.empty")}
      />
    </Page>
  );
}

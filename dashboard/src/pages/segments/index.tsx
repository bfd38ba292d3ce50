import { audienceApi, type Segment } from "../../api/segments-imports";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { Truncated } from "../../components/truncated";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { canEdit } from "../../session";

export { SegmentPage } from "./editor";

const columns: Column<Segment>[] = [
  {
    header: "Name",
    cell: (segment) => <Truncated href={`/segments/${encodeURIComponent(segment.id)}`} text={segment.name} />,
  },
  { header: "Created", cell: (segment) => formatDateTime(segment.createdAt), class: "nowrap" },
  { header: "Updated", cell: (segment) => formatDateTime(segment.updatedAt), class: "nowrap" },
];

/** Saved segments; each opens in the builder. */
export function SegmentsPage() {
  const pager = usePager((cursor) => audienceApi.segments.list({ limit: 50, cursor }));
  return (
    <Page
      title="Segments"
      intro="Audiences defined by rules over fields, lists, status, sign-up date and engagement."
      actions={
        canEdit.value && (
          <a class="button button--primary" href="/segments/new">
            New segment
          </a>
        )
      }
    >
      <Table
        label="Segments"
        columns={columns}
        pager={pager}
        rowKey={(segment) => segment.id}
        empty="No segments yet. Create one to target campaigns at the people it matches."
      />
    </Page>
  );
}

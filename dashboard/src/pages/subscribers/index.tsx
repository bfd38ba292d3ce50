import { useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { audience, type Field, fetchAll, type Subscriber, type SubscriberFilters } from "../../api/audience";
import { fieldErrors } from "../../api/errors";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { Truncated } from "../../components/truncated";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { useResource } from "../../hooks/use-resource";
import { t } from "../../i18n";
import { canEdit } from "../../session";
import { CreateSubscriberForm } from "./create-form";
import { ExportButton } from "./export-button";
import { formatFieldValue } from "./field-values";
import { SubscriberFilterBar } from "./filters";
import { readSort, sortControl } from "./sorting";
import { STATUS_OPTIONS, StatusBadge } from "./status";

export { SubscriberPage } from "./detail";

/** The filters live in the address, so "Back" from a subscriber returns to the same search. */
function readFilters(query: Record<string, string>): SubscriberFilters {
  const status = STATUS_OPTIONS.find((option) => option.value === query.status)?.value;
  return {
    q: query.q || undefined,
    listId: query.listId || undefined,
    segmentId: query.segmentId || undefined,
    status,
    ...readSort(query),
  };
}

function filtersUrl(filters: SubscriberFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, String(value));
  const text = params.toString();
  return text ? `/subscribers?${text}` : "/subscribers";
}

export function SubscribersPage() {
  const { query, route } = useLocation();
  const filters = readFilters(query);
  const key = JSON.stringify(filters);
  const pager = usePager((cursor) => audience.subscribers.list(filters, { limit: 50, cursor }), key, "pages");
  const fields = useResource(async () => (await audience.fields.list()).data);
  const lists = useResource(() => fetchAll(audience.lists.list));
  // Filtering by an archived list still works (its members stay); joining one does not.
  const archivedLists = useResource(() => fetchAll(audience.lists.archived).catch(() => []));
  // Segments are optional here: without them the filter is simply empty.
  const segments = useResource(() => fetchAll(audience.segments.list).catch(() => undefined));
  const creating = useSignal(false);
  const notify = useToast();
  const filterErrors = fieldErrors(pager.error.value);
  const open = (subscriber: Subscriber) => route(`/subscribers/${encodeURIComponent(subscriber.id)}`);
  const columns = subscriberColumns(filters, fields.data.value ?? [], (sort) =>
    route(filtersUrl({ ...filters, ...sort }), true),
  );

  return (
    <Page
      title={t("subscribers.title")}
      intro={t("subscribers.intro")}
      actions={
        canEdit.value && (
          <>
            <ExportButton filters={filters} />
            {!creating.value && (
              <button type="button" class="button button--primary" onClick={() => (creating.value = true)}>
                {t("subscribers.new")}
              </button>
            )}
          </>
        )
      }
    >
      <ErrorBanner
        error={fields.error.value ?? lists.error.value}
        onRetry={() => {
          fields.reload();
          lists.reload();
        }}
      />
      {creating.value && fields.data.value && lists.data.value && (
        <CreateSubscriberForm
          fields={fields.data.value}
          lists={lists.data.value}
          onCancel={() => (creating.value = false)}
          onCreated={(created) => {
            creating.value = false;
            notify(t("subscribers.added", { email: created.email }));
            if (created.confirmationError) notify(created.confirmationError, "error");
            pager.reload();
          }}
        />
      )}
      <SubscriberFilterBar
        filters={filters}
        lists={[
          ...(lists.data.value ?? []),
          ...(archivedLists.data.value ?? []).map((list) => ({
            ...list,
            name: t("subscribers.archivedList", { name: list.name }),
          })),
        ]}
        segments={segments.data.value}
        errors={filterErrors}
        onApply={(next) => {
          if (JSON.stringify(next) === key) pager.reload();
          else route(filtersUrl(next), true);
        }}
      />
      <Table
        label={t("subscribers.title")}
        columns={columns}
        pager={pager}
        rowKey={(subscriber) => subscriber.id}
        empty={
          filters.q || filters.listId || filters.segmentId || filters.status
            ? t("subscribers.emptyFiltered")
            : t("subscribers.empty")
        }
        hideError={Object.keys(filterErrors).length > 0}
        onRowClick={open}
      />
    </Page>
  );
}

/** The table's columns; email, name, status and the date added sort the list when clicked. */
function subscriberColumns(
  filters: SubscriberFilters,
  fields: Field[],
  onSort: (sort: Pick<SubscriberFilters, "sort" | "order">) => void,
): Column<Subscriber>[] {
  return [
    {
      header: t("common.email"),
      cell: (subscriber) => (
        <Truncated href={`/subscribers/${encodeURIComponent(subscriber.id)}`} text={subscriber.email} />
      ),
      sort: sortControl("email", filters, onSort),
    },
    {
      header: t("common.name"),
      cell: (subscriber) =>
        subscriber.name ? <Truncated text={subscriber.name} /> : <span class="muted">—</span>,
      sort: sortControl("name", filters, onSort),
    },
    {
      header: t("common.status"),
      cell: (subscriber) => <StatusBadge status={subscriber.status} />,
      sort: sortControl("status", filters, onSort),
    },
    ...fields.map(fieldColumn),
    {
      header: t("subscribers.columns.added"),
      cell: (subscriber) => formatDateTime(subscriber.createdAt),
      class: "nowrap",
      sort: sortControl("createdAt", filters, onSort),
    },
  ];
}

function fieldColumn(field: Field): Column<Subscriber> {
  return {
    header: field.label,
    id: `field:${field.key}`,
    cell: (subscriber) => formatFieldValue(field, subscriber.fields[field.key]),
  };
}

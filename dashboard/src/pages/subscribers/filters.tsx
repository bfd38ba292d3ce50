import type { List, SegmentSummary, SubscriberFilters } from "../../api/audience";
import { Field } from "../../components/field";
import { FilterBar } from "../../components/filter-bar";
import { t } from "../../i18n";
import { STATUS_OPTIONS, toStatus } from "./status";

/** How long typing pauses before the search runs. */
const SEARCH_PAUSE_MS = 250;

interface SubscriberFilterBarProps {
  filters: SubscriberFilters;
  lists: List[];
  /** Undefined while loading or when segments cannot be listed. */
  segments: SegmentSummary[] | undefined;
  /** Server validation messages for the filters, keyed by query parameter. */
  errors: Record<string, string>;
  onApply: (filters: SubscriberFilters) => void;
}

/**
 * Search (applied as you type, after a pause, or on Enter) and list, segment and status selects
 * (applied at once). The sort is not a filter: changing or clearing filters keeps it.
 */
export function SubscriberFilterBar({ filters, lists, segments, errors, onApply }: SubscriberFilterBarProps) {
  const apply = (change: Partial<Record<keyof SubscriberFilters, string>>) => {
    const next = { ...filters, ...change };
    onApply({
      q: next.q?.trim() || undefined,
      listId: next.listId || undefined,
      segmentId: next.segmentId || undefined,
      status: next.status ? toStatus(next.status) : undefined,
      sort: filters.sort,
      order: filters.order,
    });
  };

  return (
    <FilterBar
      label={t("subscribers.filters.label")}
      search={{
        id: "subscribers-q",
        label: t("common.search"),
        placeholder: t("subscribers.filters.placeholder"),
        error: errors.q,
        applied: filters.q,
        onSearch: (q) => apply({ q }),
        onClear: () => onApply({ sort: filters.sort, order: filters.order }),
        debounceMs: SEARCH_PAUSE_MS,
      }}
    >
      <Field
        id="subscribers-list"
        label={t("subscribers.filters.list")}
        value={filters.listId ?? ""}
        onInput={(listId) => apply({ listId })}
        options={[
          { value: "", label: t("subscribers.filters.allLists") },
          ...lists.map((list) => ({ value: list.id, label: list.name })),
        ]}
        error={errors.listId}
      />
      <Field
        id="subscribers-segment"
        label={t("subscribers.filters.segment")}
        value={filters.segmentId ?? ""}
        onInput={(segmentId) => apply({ segmentId })}
        options={[
          {
            value: "",
            label: segments ? t("subscribers.filters.allSubscribers") : t("subscribers.filters.noSegments"),
          },
          ...(segments ?? []).map((segment) => ({ value: segment.id, label: segment.name })),
        ]}
        disabled={!segments?.length && !filters.segmentId}
        error={errors.segmentId}
      />
      <Field
        id="subscribers-status"
        label={t("common.status")}
        value={filters.status ?? ""}
        onInput={(status) => apply({ status })}
        options={[{ value: "", label: t("common.anyStatus") }, ...STATUS_OPTIONS]}
        error={errors.status}
      />
    </FilterBar>
  );
}

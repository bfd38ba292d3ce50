import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { List, SegmentSummary, SubscriberFilters } from "../../api/audience";
import { Field } from "../../components/field";
import { STATUS_OPTIONS, toStatus } from "./status";

interface FilterBarProps {
  filters: SubscriberFilters;
  lists: List[];
  /** Undefined while loading or when segments cannot be listed. */
  segments: SegmentSummary[] | undefined;
  /** Server validation messages for the filters, keyed by query parameter. */
  errors: Record<string, string>;
  onApply: (filters: SubscriberFilters) => void;
}

/** Search (applied on Enter or "Search") and list, segment and status selects (applied at once). */
export function FilterBar({ filters, lists, segments, errors, onApply }: FilterBarProps) {
  const q = useSignal(filters.q ?? "");
  // Back/forward or "Clear" change the filters from outside: show what is applied.
  useEffect(() => {
    q.value = filters.q ?? "";
  }, [filters.q]);

  const apply = (change: Partial<Record<keyof SubscriberFilters, string>>) => {
    const next = { ...filters, ...change };
    onApply({
      q: next.q?.trim() || undefined,
      listId: next.listId || undefined,
      segmentId: next.segmentId || undefined,
      status: next.status ? toStatus(next.status) : undefined,
    });
  };

  return (
    <form
      class="card filters"
      aria-label="Subscriber filters"
      onSubmit={(event) => {
        event.preventDefault();
        apply({ q: q.value });
      }}
    >
      <Field
        id="subscribers-q"
        label="Search"
        value={q.value}
        onInput={(value) => (q.value = value)}
        placeholder="Start of an email or name"
        error={errors.q}
      />
      <Field
        id="subscribers-list"
        label="List"
        value={filters.listId ?? ""}
        onInput={(listId) => apply({ listId })}
        options={[
          { value: "", label: "All lists" },
          ...lists.map((list) => ({ value: list.id, label: list.name })),
        ]}
        error={errors.listId}
      />
      <Field
        id="subscribers-segment"
        label="Segment"
        value={filters.segmentId ?? ""}
        onInput={(segmentId) => apply({ segmentId })}
        options={[
          { value: "", label: segments ? "All subscribers" : "No segments available" },
          ...(segments ?? []).map((segment) => ({ value: segment.id, label: segment.name })),
        ]}
        disabled={!segments?.length && !filters.segmentId}
        error={errors.segmentId}
      />
      <Field
        id="subscribers-status"
        label="Status"
        value={filters.status ?? ""}
        onInput={(status) => apply({ status })}
        options={[{ value: "", label: "Any status" }, ...STATUS_OPTIONS]}
        error={errors.status}
      />
      <div class="filters__actions">
        <button type="submit" class="button button--primary">
          Search
        </button>
        <button
          type="button"
          class="button"
          onClick={() => {
            q.value = "";
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

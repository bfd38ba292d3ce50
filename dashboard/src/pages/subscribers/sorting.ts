import type { SubscriberFilters } from "../../api/audience";

export type SortKey = NonNullable<SubscriberFilters["sort"]>;
export type SortOrder = NonNullable<SubscriberFilters["order"]>;

const SORTS: readonly SortKey[] = ["email", "name", "status", "createdAt", "updatedAt"];
/** The direction a first click sorts in: A to Z for words, newest first for dates. */
const FIRST_ORDER: Record<SortKey, SortOrder> = {
  email: "asc",
  name: "asc",
  status: "asc",
  createdAt: "desc",
  updatedAt: "desc",
};

/** The sort kept in the address (`?sort=email&order=desc`); anything unknown is no sort. */
export function readSort(query: Record<string, string>): Pick<SubscriberFilters, "sort" | "order"> {
  const sort = SORTS.find((key) => key === query.sort);
  if (!sort) return {};
  const order = query.order === "asc" || query.order === "desc" ? query.order : FIRST_ORDER[sort];
  return { sort, order };
}

/**
 * A column header's sort control: the direction shown when the list is sorted by it, and the sort
 * a click asks for (the other direction when already sorted by it, else its first direction).
 */
export function sortControl(
  key: SortKey,
  filters: SubscriberFilters,
  onSort: (sort: Pick<SubscriberFilters, "sort" | "order">) => void,
) {
  const active = filters.sort === key ? (filters.order ?? FIRST_ORDER[key]) : null;
  return {
    direction: active,
    onSort: () =>
      onSort({ sort: key, order: active ? (active === "asc" ? "desc" : "asc") : FIRST_ORDER[key] }),
  };
}

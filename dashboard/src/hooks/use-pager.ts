import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { Page } from "../api/client";

/** "append": rows accumulate under "Load more". "pages": one page at a time with Previous/Next. */
export type PagerMode = "append" | "pages";

export interface Pager<T> {
  mode: PagerMode;
  rows: Signal<T[]>;
  total: Signal<number | undefined>;
  nextCursor: Signal<string | null>;
  loading: Signal<boolean>;
  error: Signal<unknown>;
  /** How many rows come before the current page ("pages" mode; 0 in "append" mode). */
  offset: Signal<number>;
  /** The current page, counting from 0 ("pages" mode; 0 in "append" mode). */
  pageIndex: Signal<number>;
  /** Start again from the first page (after a create, a delete, or new filters). */
  reload: () => void;
  /** Append the next page ("append") or move to it ("pages"). */
  loadMore: () => void;
  /** Back to the page before ("pages" mode). */
  previous: () => void;
  /** Repeat whichever request failed last. */
  retry: () => void;
}

/**
 * Server-side pagination: fetch the first page whenever `key` changes, then follow `nextCursor`
 * on demand. Cursors only go forward, so "pages" mode keeps the ones it used to step back.
 * A response that arrives after a newer request started is dropped.
 */
export function usePager<T>(
  fetchPage: (cursor?: string) => Promise<Page<T>>,
  key = "",
  mode: PagerMode = "append",
): Pager<T> {
  const rows = useSignal<T[]>([]);
  const total = useSignal<number | undefined>(undefined);
  const nextCursor = useSignal<string | null>(null);
  const loading = useSignal(false);
  const error = useSignal<unknown>(null);
  const offset = useSignal(0);
  const pageIndex = useSignal(0);
  const latest = useRef(fetchPage);
  latest.current = fetchPage;
  const generation = useRef(0);
  const lastCursor = useRef<string | undefined>(undefined);
  /** "pages" mode: the cursor and offset of every page before the current one. */
  const trail = useRef<{ cursor: string | undefined; offset: number }[]>([]);

  const load = async (cursor?: string) => {
    const mine = ++generation.current;
    lastCursor.current = cursor;
    loading.value = true;
    error.value = null;
    try {
      const page = await latest.current(cursor);
      if (mine !== generation.current) return;
      rows.value = cursor && mode === "append" ? [...rows.value, ...page.data] : page.data;
      nextCursor.value = page.nextCursor;
      total.value = page.total;
    } catch (caught) {
      if (mine === generation.current) error.value = caught;
    } finally {
      if (mine === generation.current) loading.value = false;
    }
  };

  const first = () => {
    trail.current = [];
    offset.value = 0;
    pageIndex.value = 0;
    void load();
  };

  // A new query: the old rows belong to a different question, so drop them at once.
  useEffect(() => {
    rows.value = [];
    total.value = undefined;
    nextCursor.value = null;
    first();
  }, [key]);

  return {
    mode,
    rows,
    total,
    nextCursor,
    loading,
    error,
    offset,
    pageIndex,
    reload: first,
    loadMore: () => {
      const next = nextCursor.value;
      if (!next || loading.value) return;
      if (mode === "pages") {
        trail.current.push({ cursor: lastCursor.current, offset: offset.value });
        offset.value += rows.value.length;
        pageIndex.value = trail.current.length;
      }
      void load(next);
    },
    previous: () => {
      const back = trail.current.pop();
      if (!back || loading.value) return;
      offset.value = back.offset;
      pageIndex.value = trail.current.length;
      void load(back.cursor);
    },
    retry: () => void load(lastCursor.current),
  };
}

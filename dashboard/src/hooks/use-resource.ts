import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

export interface Resource<T> {
  data: Signal<T | undefined>;
  loading: Signal<boolean>;
  error: Signal<unknown>;
  /** Fetch again (after a change, or to retry a failure). */
  reload: () => void;
}

/**
 * One value fetched when `key` changes (a record, the field definitions, the lists for a picker).
 * A response that arrives after a newer request started is dropped.
 */
export function useResource<T>(fetch: () => Promise<T>, key = ""): Resource<T> {
  const data = useSignal<T | undefined>(undefined);
  const loading = useSignal(true);
  const error = useSignal<unknown>(null);
  const latest = useRef(fetch);
  latest.current = fetch;
  const generation = useRef(0);

  const load = async () => {
    const mine = ++generation.current;
    loading.value = true;
    error.value = null;
    try {
      const value = await latest.current();
      if (mine === generation.current) data.value = value;
    } catch (caught) {
      if (mine === generation.current) error.value = caught;
    } finally {
      if (mine === generation.current) loading.value = false;
    }
  };

  useEffect(() => {
    data.value = undefined;
    void load();
  }, [key]);

  return { data, loading, error, reload: () => void load() };
}

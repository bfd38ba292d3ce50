import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { campaignsApi } from "../../api/campaigns";

const DEBOUNCE_MS = 350;

export interface AudienceCount {
  /** Null until the first answer, and when nothing is chosen. */
  count: Signal<number | null>;
  loading: Signal<boolean>;
  error: Signal<unknown>;
}

/**
 * The live count of who the chosen lists and segment reach, asked again (debounced) whenever the
 * choice changes; an answer to an older choice is dropped.
 */
export function useAudienceCount(listIds: readonly string[], segmentId: string): AudienceCount {
  const count = useSignal<number | null>(null);
  const loading = useSignal(false);
  const error = useSignal<unknown>(null);
  const generation = useRef(0);
  const key = `${[...listIds].sort().join(",")}|${segmentId}`;

  useEffect(() => {
    const mine = ++generation.current;
    error.value = null;
    if (listIds.length === 0 && !segmentId) {
      count.value = null;
      loading.value = false;
      return;
    }
    loading.value = true;
    const timer = setTimeout(async () => {
      try {
        const result = await campaignsApi.countAudience({
          listIds: [...listIds],
          segmentId: segmentId || null,
        });
        if (mine === generation.current) count.value = result.count;
      } catch (caught) {
        if (mine === generation.current) error.value = caught;
      } finally {
        if (mine === generation.current) loading.value = false;
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);

  return { count, loading, error };
}

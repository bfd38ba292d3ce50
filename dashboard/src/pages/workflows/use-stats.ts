import { type Signal, useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { type WorkflowStats, workflowsApi } from "../../api/workflows";

export const STATS_POLL_MS = 5000;

/**
 * The per-node counts of a workflow that runs (active or paused), read every 5 s while the tab is
 * visible and at once when it becomes visible again; nothing for a draft or a stopped workflow.
 * A 4xx stops polling (asking again will not help).
 */
export function useWorkflowStats(id: string | null, running: boolean): Signal<WorkflowStats | null> {
  const stats = useSignal<WorkflowStats | null>(null);
  useEffect(() => {
    if (!id || !running) {
      stats.value = null;
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let asking = false;
    const poll = async () => {
      clearTimeout(timer);
      // Hidden: stop until visible again. Already asking: that answer schedules the next one.
      if (document.visibilityState !== "visible" || asking) return;
      asking = true;
      try {
        const next = await workflowsApi.stats(id);
        if (stopped) return;
        stats.value = next;
      } catch (caught) {
        if (stopped || (caught instanceof ApiError && caught.status >= 400 && caught.status < 500)) return;
      } finally {
        asking = false;
      }
      timer = setTimeout(() => void poll(), STATS_POLL_MS);
    };
    const onVisible = () => {
      if (document.visibilityState === "visible") void poll();
    };
    void poll();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [id, running]);
  return stats;
}

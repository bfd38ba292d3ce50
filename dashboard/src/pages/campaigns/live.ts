import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { type Campaign, type CampaignStats, campaignsApi } from "../../api/campaigns";
import { ApiError } from "../../api/errors";
import { isLive } from "./status";

export const POLL_MS = 2000;

export interface LiveCampaign {
  stats: Signal<CampaignStats | null>;
  error: Signal<unknown>;
  /** Counts polls, so the send log can follow along. */
  tick: Signal<number>;
  /** Read campaign and stats again now (after an action). */
  refresh: () => void;
}

/**
 * Keeps a started campaign and its stats fresh: both are read every 2 s while it is testing or
 * sending (or messages are still in flight), and once otherwise. A 4xx stops the polling (asking again will not help).
 */
export function useLiveCampaign(campaign: Campaign, onCampaign: (campaign: Campaign) => void): LiveCampaign {
  const stats = useSignal<CampaignStats | null>(null);
  const error = useSignal<unknown>(null);
  const tick = useSignal(0);
  const restart = useSignal(0);
  const latest = useRef(onCampaign);
  latest.current = onCampaign;
  const live = isLive(campaign.status);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async (first: boolean) => {
      try {
        const [next, nextStats] = await Promise.all([
          first ? Promise.resolve(campaign) : campaignsApi.get(campaign.id),
          campaignsApi.stats(campaign.id),
        ]);
        if (stopped) return;
        stats.value = nextStats;
        error.value = null;
        tick.value++;
        if (!first) latest.current(next);
        // A status change re-runs this effect with the new status; keep going only while live,
        // or while messages already on the wire settle after a pause or cancel (so the counts
        // end equal to what the relay took).
        if (next.status !== campaign.status) return;
        if (!isLive(next.status) && nextStats.inFlight === 0) return;
      } catch (caught) {
        if (stopped) return;
        error.value = caught;
        if (caught instanceof ApiError && caught.status >= 400 && caught.status < 500) return;
        if (!live) return;
      }
      timer = setTimeout(() => void poll(false), POLL_MS);
    };
    void poll(true);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [campaign.id, campaign.status, restart.value]);

  return { stats, error, tick, refresh: () => restart.value++ };
}

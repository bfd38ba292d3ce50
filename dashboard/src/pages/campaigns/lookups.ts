import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import {
  type CampaignList,
  campaignLookups,
  fetchAll,
  type Relay,
  type SegmentOption,
  type Settings,
  type TemplateSummary,
} from "../../api/campaigns";

/** What the builder offers to choose from; the optional parts are undefined when not available. */
export interface Lookups {
  templates: TemplateSummary[];
  lists: CampaignList[];
  /** Shown only when a draft names one of them; undefined when not available. */
  archivedLists: CampaignList[] | undefined;
  segments: SegmentOption[] | undefined;
  relays: Relay[] | undefined;
  settings: Settings | undefined;
}

/** Loads the builder's choices once: templates and lists are needed; segments, relays and defaults help. */
export function useLookups() {
  const data = useSignal<Lookups | null>(null);
  const error = useSignal<unknown>(null);
  const load = () => {
    error.value = null;
    const optional = <T>(promise: Promise<T>) => promise.catch(() => undefined);
    Promise.all([
      fetchAll(campaignLookups.templates),
      fetchAll(campaignLookups.lists),
      optional(fetchAll(campaignLookups.archivedLists)),
      optional(fetchAll(campaignLookups.segments)),
      optional(fetchAll(campaignLookups.relays)),
      optional(campaignLookups.settings()),
    ])
      .then(([templates, lists, archivedLists, segments, relays, settings]) => {
        data.value = { templates, lists, archivedLists, segments, relays, settings };
      })
      .catch((caught: unknown) => {
        error.value = caught;
      });
  };
  useEffect(load, []);
  return { data, error, reload: load };
}

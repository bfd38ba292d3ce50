import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import {
  type Campaign,
  campaignLookups,
  campaignsApi,
  fetchAll,
  type TemplateSummary,
} from "../../api/campaigns";
import { type AudienceList, audienceApi, type FieldDef, type Segment } from "../../api/segments-imports";

/** What the editor's pickers offer and what the canvas names ids with. */
export interface Lookups {
  /** Campaign templates: a send node is campaign mail. */
  templates: TemplateSummary[];
  lists: AudienceList[];
  segments: Segment[];
  fields: FieldDef[];
  campaigns: Campaign[];
}

/**
 * Loads the pickers' choices once. Templates are needed (a send node names one); the rest only
 * help, and a failure leaves them empty rather than blocking the editor.
 */
export function useLookups() {
  const data = useSignal<Lookups | null>(null);
  const error = useSignal<unknown>(null);
  const load = () => {
    error.value = null;
    const optional = <T>(promise: Promise<T[]>) => promise.catch((): T[] => []);
    Promise.all([
      fetchAll(campaignLookups.templates),
      optional(audienceApi.lists.all()),
      optional(fetchAll(audienceApi.segments.list)),
      optional(audienceApi.fields.all()),
      // The newest campaigns are the ones a "clicked a campaign" trigger is about.
      optional(campaignsApi.list({}, { limit: 200 }).then((page) => page.data)),
    ])
      .then(([templates, lists, segments, fields, campaigns]) => {
        data.value = { templates, lists, segments, fields, campaigns };
      })
      .catch((caught: unknown) => {
        error.value = caught;
      });
  };
  useEffect(load, []);
  return { data, error, reload: load };
}

/** A name for an id from one of the look-up lists, else the id itself, shortened. */
export function nameOf(items: readonly { id: string; name: string }[], id: string | undefined): string {
  if (!id) return "";
  return items.find((item) => item.id === id)?.name ?? `${id.slice(0, 8)}…`;
}

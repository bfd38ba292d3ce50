import { useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { draftKey, useLocalDraft } from "../../hooks/use-local-draft";
import type { Lookups } from "./lookups";
import { type Draft, draftFrom, reviveDraft, toBody } from "./model";

/**
 * The builder's form: the body as last saved, the draft (kept locally at every edit, for editors)
 * and discarding it back to the server's copy.
 */
export function useCampaignDraft(campaign: Campaign | null, lookups: Lookups, readOnly: boolean) {
  const blank = draftFrom(campaign, lookups.settings ?? null);
  /** The body as last saved; for a new campaign, the blank form's. */
  const saved = useSignal(JSON.stringify(toBody(campaign ? draftFrom(campaign, null) : blank)));
  const differs = (value: Draft) => JSON.stringify(toBody(value)) !== saved.value;
  // Readers get no draft: one kept while they could still edit would show as if it were saved.
  const key = readOnly ? null : draftKey("campaign", campaign?.id ?? "new");
  const local = useLocalDraft(key, blank, differs);
  const draft = useSignal<Draft>(local.restored.value ? reviveDraft(local.initial) : blank);

  /** Every edit is kept locally at once; a restored draft keeps the copy it was made on. */
  const change = (patch: Partial<Draft>) => {
    draft.value = { ...draft.value, ...patch };
    const base = local.restored.value?.base ?? campaign?.updatedAt ?? null;
    local.keep(draft.value, differs(draft.value), base);
  };
  const discard = () => {
    local.clear();
    draft.value = draftFrom(campaign, lookups.settings ?? null);
  };
  return { saved, differs, local, draft, change, discard };
}

export type CampaignDraftState = ReturnType<typeof useCampaignDraft>;

/**
 * Saving the draft: creates the campaign (then goes to its page) or updates it. `save` resolves to
 * the saved campaign, or null when that failed (the error is in `error`).
 */
export function useCampaignSave(
  campaign: Campaign | null,
  form: CampaignDraftState,
  onChanged: (campaign: Campaign) => void,
) {
  const { route } = useLocation();
  const { saved, differs, local, draft } = form;
  const error = useSignal<unknown>(null);
  const busy = useSignal(false);

  const save = async (): Promise<Campaign | null> => {
    if (busy.value) return null;
    busy.value = true;
    error.value = null;
    const sent = draft.value;
    let leaving = false;
    try {
      const body = toBody(sent);
      const result = campaign
        ? await campaignsApi.update(campaign.id, body)
        : await campaignsApi.create(body);
      saved.value = JSON.stringify(body);
      local.clear();
      // Edits made to a draft while its save was on its way are still unsaved: they stay kept.
      if (campaign && draft.value !== sent) local.keep(draft.value, differs(draft.value), result.updatedAt);
      if (campaign) onChanged(result);
      else {
        // Still busy until the page changes: a second click in between would create it twice.
        leaving = true;
        route(`/campaigns/${encodeURIComponent(result.id)}`, true);
      }
      return result;
    } catch (caught) {
      error.value = caught;
      return null;
    } finally {
      if (!leaving) busy.value = false;
    }
  };
  return { error, busy, save };
}

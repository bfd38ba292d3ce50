import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { useLocation } from "preact-iso";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { ApiError } from "../../api/errors";
import { DraftNotice } from "../../components/draft-notice";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { draftKey, useLocalDraft } from "../../hooks/use-local-draft";
import { canEdit } from "../../session";
import { AbSection } from "./ab-section";
import { useAudienceCount } from "./audience-count";
import { AudienceSection } from "./audience-section";
import { DraftActions } from "./draft-actions";
import type { Lookups } from "./lookups";
import { type Draft, draftFrom, issuesByPath, placedPaths, reviveDraft, toBody } from "./model";
import { SenderSection } from "./sender-section";
import { CampaignStatusBadge } from "./status";
import { TemplateSection } from "./template-section";

interface BuilderProps {
  /** Null for a new campaign. */
  campaign: Campaign | null;
  lookups: Lookups;
  /** The campaign changed on the server (saved, scheduled, sent): the page re-reads its state. */
  onChanged: (campaign: Campaign) => void;
}

/** The campaign builder: a new campaign, or a draft; analysts see it read-only. */
export function CampaignBuilder({ campaign, lookups, onChanged }: BuilderProps) {
  const { route } = useLocation();
  const notify = useToast();
  const readOnly = !canEdit.value;
  const blank = draftFrom(campaign, lookups.settings ?? null);
  /** The body as last saved; for a new campaign, the blank form's. */
  const saved = useSignal(JSON.stringify(toBody(campaign ? draftFrom(campaign, null) : blank)));
  const differs = (value: Draft) => JSON.stringify(toBody(value)) !== saved.value;
  // Readers get no draft: one kept while they could still edit would show as if it were saved.
  const key = readOnly ? null : draftKey("campaign", campaign?.id ?? "new");
  const local = useLocalDraft(key, blank, differs);
  const draft = useSignal<Draft>(local.restored.value ? reviveDraft(local.initial) : blank);
  const error = useSignal<unknown>(null);
  const busy = useSignal(false);
  const current = draft.value;
  const count = useAudienceCount(current.listIds, current.segmentId);
  const dirty = JSON.stringify(toBody(current)) !== saved.value;

  const issues = issuesByPath(error.value);
  const placed = placedPaths(current);
  const unplaced =
    error.value instanceof ApiError && error.value.status === 400
      ? issues.size === 0 || [...issues.keys()].some((path) => !placed.has(path))
      : error.value !== null;
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

  /** Saves the form (create or update); resolves to the saved campaign, or null when that failed. */
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

  // The form is `noValidate`: the server's messages, shown beside each field, are the one source.
  const submit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (await save()) notify(campaign ? "Draft saved." : "Draft created.");
  };

  return (
    <Page
      title={campaign?.name || "New campaign"}
      intro={
        campaign ? (
          <>
            <CampaignStatusBadge status={campaign.status} /> Drafts can be changed freely until they are sent
            or scheduled.
          </>
        ) : (
          "Choose the content, the audience and the sender, save the draft, then test, schedule or send it."
        )
      }
      actions={
        <a class="button" href="/campaigns">
          All campaigns
        </a>
      }
    >
      {readOnly && (
        <p class="banner banner--info" role="note">
          You can look at this draft; editors and admins change and send campaigns.
        </p>
      )}
      {!readOnly && local.restored.value && (
        <DraftNotice
          draft={local.restored.value}
          noun="campaign"
          serverBase={campaign?.updatedAt ?? null}
          onDiscard={discard}
        />
      )}
      <form class="campaign-builder" aria-label="Campaign" onSubmit={submit} noValidate>
        <fieldset class="campaign-builder__fields" disabled={readOnly}>
          <div class="card campaign-section">
            <Field
              id="campaign-name"
              label="Name"
              value={current.name}
              onInput={(name) => change({ name })}
              error={issues.get("name")}
              hint="For you and your team; subscribers never see it."
            />
          </div>
          <TemplateSection
            templates={lookups.templates}
            value={current.templateId}
            onChange={(templateId) => change({ templateId })}
            error={issues.get("templateId")}
            disabled={readOnly}
          />
          <AudienceSection
            lists={lookups.lists}
            archivedLists={lookups.archivedLists}
            segments={lookups.segments}
            listIds={current.listIds}
            segmentId={current.segmentId}
            onChange={change}
            count={count}
            errors={{ listIds: issues.get("listIds"), segmentId: issues.get("segmentId") }}
            disabled={readOnly}
          />
          <SenderSection draft={current} lookups={lookups} onChange={change} issues={issues} />
          <AbSection
            draft={current}
            templates={lookups.templates}
            audience={count.count.value}
            onChange={change}
            issues={issues}
            disabled={readOnly}
          />
        </fieldset>
        {unplaced && <ErrorBanner error={error.value} />}
        {!readOnly && (
          <div class="form__actions campaign-builder__save">
            {dirty && campaign && <span class="muted">Unsaved changes</span>}
            <button type="submit" class="button button--primary" disabled={busy.value}>
              {busy.value ? "Saving…" : campaign ? "Save draft" : "Create draft"}
            </button>
          </div>
        )}
      </form>
      {campaign && !readOnly && (
        <DraftActions
          campaign={campaign}
          ensureSaved={async () => (dirty ? save() : campaign)}
          onChanged={onChanged}
        />
      )}
    </Page>
  );
}

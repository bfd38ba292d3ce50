import type { TargetedEvent } from "preact";
import { useRef } from "preact/hooks";
import type { Campaign } from "../../api/campaigns";
import { ApiError } from "../../api/errors";
import { DraftNotice } from "../../components/draft-notice";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { t } from "../../i18n";
import { canEdit } from "../../session";
import { AbSection } from "./ab-section";
import { useAudienceCount } from "./audience-count";
import { AudienceSection } from "./audience-section";
import { DraftActions } from "./draft-actions";
import type { Lookups } from "./lookups";
import { type Draft, issuesByPath, placedPaths, toBody } from "./model";
import { SenderSection } from "./sender-section";
import { CampaignStatusBadge } from "./status";
import { TemplateSection } from "./template-section";
import { useCampaignDraft, useCampaignSave } from "./use-campaign-form";

interface BuilderProps {
  /** Null for a new campaign. */
  campaign: Campaign | null;
  lookups: Lookups;
  /** The campaign changed on the server (saved, scheduled, sent): the page re-reads its state. */
  onChanged: (campaign: Campaign) => void;
}

/** The campaign builder: a new campaign, or a draft; analysts see it read-only. */
export function CampaignBuilder({ campaign, lookups, onChanged }: BuilderProps) {
  const notify = useToast();
  const readOnly = !canEdit.value;
  const form = useCampaignDraft(campaign, lookups, readOnly);
  const { local, draft, saved } = form;
  const { error, busy, save } = useCampaignSave(campaign, form, onChanged);
  const current = draft.value;
  const count = useAudienceCount(current.listIds, current.segmentId);
  const dirty = JSON.stringify(toBody(current)) !== saved.value;
  // The draft as it was when the save failed: a message goes once its input is fixed.
  const failed = useRef<{ error: unknown; draft: Draft }>({ error: null, draft: current });
  if (failed.current.error !== error.value) failed.current = { error: error.value, draft: current };
  const issues = issuesByPath(error.value, current, failed.current.draft);

  // The form is `noValidate`: the server's messages, shown beside each field, are the one source.
  const submit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (await save()) notify(t(campaign ? "campaigns.builder.saved" : "campaigns.builder.created"));
  };

  return (
    <Page
      title={campaign?.name || t("campaigns.new")}
      intro={<BuilderIntro campaign={campaign} />}
      actions={
        <a class="button" href="/campaigns">
          {t("campaigns.all")}
        </a>
      }
    >
      {readOnly && <ReadOnlyNote />}
      {!readOnly && local.restored.value && (
        <DraftNotice
          draft={local.restored.value}
          noun="campaign"
          serverBase={campaign?.updatedAt ?? null}
          onDiscard={form.discard}
        />
      )}
      <form class="campaign-builder" aria-label={t("campaigns.campaign")} onSubmit={submit} noValidate>
        <CampaignFields
          draft={current}
          lookups={lookups}
          onChange={form.change}
          issues={issues}
          count={count}
          readOnly={readOnly}
        />
        {isUnplaced(error.value, issues, current) && <ErrorBanner error={error.value} />}
        {!readOnly && (
          <SaveActions busy={busy.value} unsaved={dirty && campaign !== null} isNew={!campaign} />
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

function ReadOnlyNote() {
  return (
    <p class="banner banner--info" role="note">
      {t("campaigns.builder.readOnly")}
    </p>
  );
}

function SaveActions({ busy, unsaved, isNew }: { busy: boolean; unsaved: boolean; isNew: boolean }) {
  return (
    <div class="form__actions campaign-builder__save">
      {unsaved && <span class="muted">{t("common.unsavedChanges")}</span>}
      <button type="submit" class="button button--primary" disabled={busy}>
        {busy ? t("common.saving") : t(isNew ? "campaigns.builder.create" : "campaigns.builder.save")}
      </button>
    </div>
  );
}

function BuilderIntro({ campaign }: { campaign: Campaign | null }) {
  return campaign ? (
    <>
      <CampaignStatusBadge status={campaign.status} /> {t("campaigns.builder.draftIntro")}
    </>
  ) : (
    t("campaigns.builder.newIntro")
  );
}

/** A save error no field shows: a 400 with an issue off the form's fields, or any other failure. */
function isUnplaced(error: unknown, issues: ReturnType<typeof issuesByPath>, draft: Draft): boolean {
  if (!(error instanceof ApiError && error.status === 400)) return error !== null;
  const placed = placedPaths(draft);
  return issues.size === 0 || [...issues.keys()].some((path) => !placed.has(path));
}

/** The campaign's sections: name, template, audience, sender and A/B test. */
function CampaignFields({
  draft,
  lookups,
  onChange,
  issues,
  count,
  readOnly,
}: {
  draft: Draft;
  lookups: Lookups;
  onChange: (patch: Partial<Draft>) => void;
  issues: ReturnType<typeof issuesByPath>;
  count: ReturnType<typeof useAudienceCount>;
  readOnly: boolean;
}) {
  return (
    <fieldset class="campaign-builder__fields" disabled={readOnly}>
      <div class="card campaign-section">
        <Field
          id="campaign-name"
          label={t("common.name")}
          value={draft.name}
          onInput={(name) => onChange({ name })}
          error={issues.get("name")}
          hint={t("campaigns.builder.nameHint")}
        />
      </div>
      <TemplateSection
        templates={lookups.templates}
        value={draft.templateId}
        onChange={(templateId) => onChange({ templateId })}
        error={issues.get("templateId")}
        disabled={readOnly}
      />
      <AudienceSection
        lists={lookups.lists}
        archivedLists={lookups.archivedLists}
        segments={lookups.segments}
        listIds={draft.listIds}
        segmentId={draft.segmentId}
        onChange={onChange}
        count={count}
        errors={{ listIds: issues.get("listIds"), segmentId: issues.get("segmentId") }}
        disabled={readOnly}
      />
      <SenderSection draft={draft} lookups={lookups} onChange={onChange} issues={issues} />
      <AbSection
        draft={draft}
        templates={lookups.templates}
        audience={count.count.value}
        onChange={onChange}
        issues={issues}
        disabled={readOnly}
      />
    </fieldset>
  );
}

import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { useLocation } from "preact-iso";
import { content, type Template, type TemplateProblem } from "../../api/content";
import { ApiError, fieldErrors } from "../../api/errors";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { DraftNotice } from "../../components/draft-notice";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { draftKey, useLocalDraft } from "../../hooks/use-local-draft";
import { useResource } from "../../hooks/use-resource";
import { canEdit } from "../../session";
import { BodyFields, HeaderFields, type TemplateErrors } from "./content-fields";
import {
  createBody,
  type Draft,
  draftOf,
  isDirty,
  isPart,
  newDraft,
  saveProblems,
  updateBody,
} from "./draft";
import type { Recipient } from "./preview-as";
import { PreviewPane } from "./preview-pane";
import { TemplateProblems } from "./problems";
import { TemplateTestDialog } from "./test-dialog";
import { useTemplateCheck } from "./use-check";
import { VersionsPanel } from "./versions";
import "./templates.css";

/** `/templates/new` or `/templates/:id`: load the template, then edit it (or read it, for analysts). */
export function TemplatePage({ id = "new" }: { id?: string }) {
  const isNew = id === "new";
  const loaded = useResource(() => (isNew ? Promise.resolve(null) : content.templates.get(id)), id);
  const template = loaded.data.value;
  if (template === undefined) {
    return (
      <Page title={isNew ? "New template" : "Template"}>
        <ErrorBanner error={loaded.error.value} onRetry={loaded.reload} />
        {!loaded.error.value && (
          <p class="muted" aria-busy="true">
            Loading…
          </p>
        )}
      </Page>
    );
  }
  return <TemplateEditor key={template?.id ?? "new"} initial={template} />;
}

function TemplateEditor({ initial }: { initial: Template | null }) {
  const { route } = useLocation();
  const notify = useToast();
  const editable = canEdit.value;
  const saved = useSignal<Template | null>(initial);
  /** The form unsaved: against the server's copy, or for a new template against the blank form. */
  const differs = (value: Draft) =>
    saved.value ? isDirty(value, saved.value) : JSON.stringify(value) !== JSON.stringify(newDraft());
  // Readers get no draft: one kept while they could still edit would show as if it were saved.
  const local = useLocalDraft(
    editable ? draftKey("template", initial?.id ?? "new") : null,
    initial ? draftOf(initial) : newDraft(),
    differs,
  );
  const draft = useSignal<Draft>(local.initial);
  /** Bumped when the form is replaced from outside (saved, restored, discarded): the code editors reload. */
  const revision = useSignal(0);
  const errors = useSignal<TemplateErrors>({});
  const lastSaveProblems = useSignal<TemplateProblem[]>([]);
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);
  const recipient = useSignal<Recipient>({ subscriber: null, data: undefined });
  const testing = useSignal(false);
  const deleting = useSignal(false);
  const check = useTemplateCheck(draft.value, editable);
  const current = saved.value;
  const problems = check.result.value?.problems ?? lastSaveProblems.value;
  const dirty = isDirty(draft.value, current);

  /** Every edit is kept locally at once: a reload or a crash a moment later loses nothing. */
  const keepLocally = (value: Draft) => {
    // A restored draft keeps the copy it was made on, so the notice still tells of a newer one.
    const base = local.restored.value?.base ?? saved.value?.updatedAt ?? null;
    local.keep(value, differs(value), base);
  };
  const change = (patch: Partial<Draft>) => {
    draft.value = { ...draft.value, ...patch };
    keepLocally(draft.value);
  };
  /** Replaces the whole form from outside; the code editors take the new text. */
  const replace = (next: Draft) => {
    draft.value = next;
    revision.value += 1;
  };
  /** After a version is restored the server's copy is the truth; the editor starts again from it. */
  const adopt = (template: Template) => {
    saved.value = template;
    local.clear();
    replace({ ...draftOf(template), inlineCss: draft.value.inlineCss });
  };
  const discard = () => {
    local.clear();
    replace(saved.value ? draftOf(saved.value) : newDraft());
  };

  const save = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    failure.value = null;
    lastSaveProblems.value = [];
    // Read at the time of the click, not of the last render: a second click must see the first's result.
    const before = saved.value;
    const sent = draft.value;
    let leaving = false;
    try {
      if (!before) {
        const created = await content.templates.create(createBody(sent));
        local.clear();
        notify(`Template “${created.name}” created.`);
        // Still busy until the page changes: a second click in between would create it twice.
        leaving = true;
        route(`/templates/${encodeURIComponent(created.id)}`, true);
        return;
      }
      const body = updateBody(sent, before);
      if (Object.keys(body).length === 0) {
        notify("No changes to save.");
        return;
      }
      const updated = await content.templates.update(before.id, body);
      saved.value = updated;
      local.clear();
      // Keys typed while the save was on its way stay in the form (and locally), still unsaved.
      if (draft.value === sent) replace({ ...draftOf(updated), inlineCss: sent.inlineCss });
      else keepLocally(draft.value);
      notify(
        updated.currentVersion > before.currentVersion
          ? `Saved as version ${updated.currentVersion}.`
          : "Changes saved.",
      );
    } catch (caught) {
      placeSaveError(caught);
    } finally {
      if (!leaving) busy.value = false;
    }
  };

  const placeSaveError = (caught: unknown) => {
    const positioned = saveProblems(caught);
    lastSaveProblems.value = positioned;
    const byField: TemplateErrors = {};
    for (const [key, message] of Object.entries(fieldErrors(caught))) {
      if (key in draft.value) byField[key as keyof Draft] = message;
    }
    for (const problem of positioned) {
      byField[problem.part] = `Line ${problem.line}, column ${problem.column}: ${problem.message}`;
    }
    // A 422 (no unsubscribe link) names the part; its message says what to add.
    if (caught instanceof ApiError && caught.status === 422) {
      const part = caught.issues.map((issue) => issue.path[0]).find(isPart) ?? "html";
      byField[part] = caught.message;
    }
    errors.value = byField;
    if (Object.keys(byField).length === 0) failure.value = caught;
  };

  const subjectProblem = problems.find((problem) => problem.part === "subject");
  const shownErrors: TemplateErrors = {
    ...errors.value,
    subject:
      errors.value.subject ??
      (subjectProblem && `Column ${subjectProblem.column}: ${subjectProblem.message}`),
  };

  return (
    <Page
      title={current ? current.name : "New template"}
      intro={
        current
          ? `Version ${current.currentVersion}. Saving content changes makes a new version.`
          : "Write the message in HTML with Liquid; the preview shows it as a subscriber would get it."
      }
      actions={
        <>
          <a class="button" href="/templates">
            Back to templates
          </a>
          {current && editable && (
            <button type="button" class="button" onClick={() => (testing.value = true)}>
              Send a test
            </button>
          )}
          {current && editable && (
            <button type="button" class="button button--danger-quiet" onClick={() => (deleting.value = true)}>
              Delete template
            </button>
          )}
        </>
      }
    >
      <form class="template-editor" onSubmit={save} aria-label="Template">
        {!editable && (
          <p class="banner banner--info" role="note">
            You can read this template; editors, admins and owners change it.
          </p>
        )}
        {editable && local.restored.value && (
          <DraftNotice
            draft={local.restored.value}
            noun="template"
            serverBase={current?.updatedAt ?? null}
            onDiscard={discard}
          />
        )}
        <HeaderFields draft={draft.value} errors={shownErrors} onChange={change} readOnly={!editable} />
        <div class="template-editor__body">
          <div class="card template-editor__code">
            <BodyFields
              draft={draft.value}
              revision={revision.value}
              errors={shownErrors}
              onChange={change}
              readOnly={!editable}
              problems={problems}
            />
            {editable && (
              <TemplateProblems
                check={check}
                kind={draft.value.kind}
                saved={lastSaveProblems.value}
                hasText={draft.value.text.trim() !== ""}
              />
            )}
            <ErrorBanner error={failure.value} />
            {editable && (
              <div class="form__actions">
                {dirty && current && <span class="muted">Unsaved changes</span>}
                <button type="submit" class="button button--primary" disabled={busy.value}>
                  {busy.value ? "Saving…" : current ? "Save template" : "Create template"}
                </button>
              </div>
            )}
          </div>
          <PreviewPane
            templateId={current?.id ?? null}
            draft={draft.value}
            recipient={recipient.value}
            onRecipient={(next) => (recipient.value = next)}
          />
        </div>
      </form>
      {current && (
        <VersionsPanel
          template={current}
          editable={editable}
          dirty={dirty}
          onRestored={(restored) => {
            adopt(restored);
            notify(`Restored as version ${restored.currentVersion}.`);
          }}
        />
      )}
      {current && testing.value && (
        <TemplateTestDialog
          templateId={current.id}
          draft={draft.value}
          recipient={recipient.value}
          onClose={() => (testing.value = false)}
        />
      )}
      {current && deleting.value && (
        <ConfirmDialog
          title="Delete this template?"
          confirmLabel="Delete template"
          onClose={() => (deleting.value = false)}
          onConfirm={async () => {
            await content.templates.remove(current.id);
            local.clear();
            notify(`Template “${current.name}” deleted.`);
            route("/templates");
          }}
        >
          <p>
            <strong>{current.name}</strong> will no longer be offered for new campaigns. Campaigns already
            sent keep the version they used. A template an unfinished campaign uses cannot be deleted.
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

import { type Signal, useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { content, type Template, type TemplateProblem } from "../../api/content";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { DraftNotice } from "../../components/draft-notice";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { useResource } from "../../hooks/use-resource";
import { canEdit } from "../../session";
import { BodyFields, HeaderFields, type TemplateErrors } from "./content-fields";
import { isDirty } from "./draft";
import type { Recipient } from "./preview-as";
import { PreviewPane } from "./preview-pane";
import { TemplateProblems } from "./problems";
import { TemplateTestDialog } from "./test-dialog";
import { type CheckState, useTemplateCheck } from "./use-check";
import { type TemplateDraftState, useTemplateDraft } from "./use-template-draft";
import { type TemplateSaveState, useTemplateSave } from "./use-template-save";
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
  const notify = useToast();
  const editable = canEdit.value;
  const form = useTemplateDraft(initial, editable);
  const saving = useTemplateSave(form);
  const recipient = useSignal<Recipient>({ subscriber: null, data: undefined });
  const testing = useSignal(false);
  const deleting = useSignal(false);
  const { draft, local } = form;
  const check = useTemplateCheck(draft.value, editable);
  const current = form.saved.value;
  const dirty = isDirty(draft.value, current);

  return (
    <Page
      title={current ? current.name : "New template"}
      intro={editorIntro(current)}
      actions={
        <EditorActions canChange={current !== null && editable} testing={testing} deleting={deleting} />
      }
    >
      <TemplateForm
        form={form}
        saving={saving}
        check={check}
        editable={editable}
        dirty={dirty}
        recipient={recipient}
      />
      {current && (
        <VersionsPanel
          template={current}
          editable={editable}
          dirty={dirty}
          onRestored={(restored) => {
            form.adopt(restored);
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
        <DeleteTemplateDialog
          template={current}
          onClose={() => (deleting.value = false)}
          onDeleted={() => local.clear()}
        />
      )}
    </Page>
  );
}

function editorIntro(current: Template | null): string {
  return current
    ? `Version ${current.currentVersion}. Saving content changes makes a new version.`
    : "Write the message in HTML with Liquid; the preview shows it as a subscriber would get it.";
}

/** The page's buttons: back, and for editors of a saved template a test send and delete. */
function EditorActions({
  canChange,
  testing,
  deleting,
}: {
  canChange: boolean;
  testing: Signal<boolean>;
  deleting: Signal<boolean>;
}) {
  return (
    <>
      <a class="button" href="/templates">
        Back to templates
      </a>
      {canChange && (
        <button type="button" class="button" onClick={() => (testing.value = true)}>
          Send a test
        </button>
      )}
      {canChange && (
        <button type="button" class="button button--danger-quiet" onClick={() => (deleting.value = true)}>
          Delete template
        </button>
      )}
    </>
  );
}

/** The form: header fields, the code with its problems and save button, and the live preview. */
function TemplateForm({
  form,
  saving,
  check,
  editable,
  dirty,
  recipient,
}: {
  form: TemplateDraftState;
  saving: TemplateSaveState;
  check: CheckState;
  editable: boolean;
  dirty: boolean;
  recipient: Signal<Recipient>;
}) {
  const { draft, local } = form;
  const current = form.saved.value;
  const problems = check.result.value?.problems ?? saving.lastSaveProblems.value;
  const shownErrors = withSubjectProblem(saving.errors.value, problems);
  return (
    <form class="template-editor" onSubmit={saving.save} aria-label="Template" noValidate>
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
          onDiscard={form.discard}
        />
      )}
      <HeaderFields draft={draft.value} errors={shownErrors} onChange={form.change} readOnly={!editable} />
      <div class="template-editor__body">
        <div class="card template-editor__code">
          <BodyFields
            draft={draft.value}
            revision={form.revision.value}
            errors={shownErrors}
            onChange={form.change}
            readOnly={!editable}
            problems={problems}
          />
          {editable && (
            <TemplateProblems
              check={check}
              kind={draft.value.kind}
              saved={saving.lastSaveProblems.value}
              hasText={draft.value.text.trim() !== ""}
            />
          )}
          <ErrorBanner error={saving.failure.value} />
          {editable && (
            <div class="form__actions">
              {dirty && current && <span class="muted">Unsaved changes</span>}
              <button type="submit" class="button button--primary" disabled={saving.busy.value}>
                {saving.busy.value ? "Saving…" : current ? "Save template" : "Create template"}
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
  );
}

/** The field errors, with the live check's subject problem when the save named none. */
function withSubjectProblem(errors: TemplateErrors, problems: TemplateProblem[]): TemplateErrors {
  const subjectProblem = problems.find((problem) => problem.part === "subject");
  return {
    ...errors,
    subject:
      errors.subject ?? (subjectProblem && `Column ${subjectProblem.column}: ${subjectProblem.message}`),
  };
}

function DeleteTemplateDialog({
  template,
  onClose,
  onDeleted,
}: {
  template: Template;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { route } = useLocation();
  const notify = useToast();
  return (
    <ConfirmDialog
      title="Delete this template?"
      confirmLabel="Delete template"
      onClose={onClose}
      onConfirm={async () => {
        await content.templates.remove(template.id);
        onDeleted();
        notify(`Template “${template.name}” deleted.`);
        route("/templates");
      }}
    >
      <p>
        <strong>{template.name}</strong> will no longer be offered for new campaigns. Campaigns already sent
        keep the version they used. A template an unfinished campaign uses cannot be deleted.
      </p>
    </ConfirmDialog>
  );
}

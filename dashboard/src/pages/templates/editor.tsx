import { type Signal, useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { hasFooter } from "../../../../workers/contract/blocks";
import { brandTheme, content, type Template, type TemplateProblem } from "../../api/content";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { DraftNotice } from "../../components/draft-notice";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { useResource } from "../../hooks/use-resource";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { canEdit } from "../../session";
import { BlockBuilder } from "./blocks/builder";
import { LAYOUTS, type LayoutName, layoutDocument } from "./blocks/layouts";
import { BodyFields, HeaderFields, type TemplateErrors } from "./content-fields";
import { type Draft, isDirty, newBlocksDraft, newDraft } from "./draft";
import type { Recipient } from "./preview-as";
import { PreviewPane } from "./preview-pane";
import { TemplateProblems } from "./problems";
import { TemplateTestDialog } from "./test-dialog";
import { useBlocksCompile } from "./use-blocks-compile";
import { type CheckState, useTemplateCheck } from "./use-check";
import { useImageChooser } from "./use-image-chooser";
import { type TemplateDraftState, useTemplateDraft } from "./use-template-draft";
import { type TemplateSaveState, useTemplateSave } from "./use-template-save";
import { VersionsPanel } from "./versions";
import "./templates.css";

/** Picks an image from the image library for the builder's image blocks. */
type ChooseImage = () => Promise<{ url: string } | null>;

/** `/templates/new` or `/templates/:id`: load the template, then edit it (or read it, for analysts). */
export function TemplatePage({ id = "new", onChooseImage }: { id?: string; onChooseImage?: ChooseImage }) {
  const images = useImageChooser();
  const isNew = id === "new";
  const loaded = useResource(() => (isNew ? Promise.resolve(null) : content.templates.get(id)), id);
  const template = loaded.data.value;
  if (template === undefined) {
    return (
      <Page title={isNew ? t("templates.new") : t("templates.template")}>
        <ErrorBanner error={loaded.error.value} onRetry={loaded.reload} />
        {!loaded.error.value && (
          <p class="muted" aria-busy="true">
            {t("common.loading")}
          </p>
        )}
      </Page>
    );
  }
  return (
    <>
      <TemplateEditor
        key={template?.id ?? "new"}
        initial={template}
        onChooseImage={onChooseImage ?? (canEdit.value ? images.choose : undefined)}
      />
      {images.dialog}
    </>
  );
}

function TemplateEditor({
  initial,
  onChooseImage,
}: {
  initial: Template | null;
  onChooseImage?: ChooseImage;
}) {
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
      title={current ? current.name : t("templates.new")}
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
        onChooseImage={onChooseImage}
      />
      {current && (
        <VersionsPanel
          template={current}
          editable={editable}
          dirty={dirty}
          onRestored={(restored) => {
            form.adopt(restored);
            notify(t("templates.restoredAs", { version: restored.currentVersion }));
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
    ? t("templates.editor.introVersion", { version: current.currentVersion })
    : t("templates.editor.introNew");
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
        {t("templates.editor.back")}
      </a>
      {canChange && (
        <button type="button" class="button" onClick={() => (testing.value = true)}>
          {t("templates.editor.sendTest")}
        </button>
      )}
      {canChange && (
        <button type="button" class="button button--danger-quiet" onClick={() => (deleting.value = true)}>
          {t("templates.delete.confirm")}
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
  onChooseImage,
}: {
  form: TemplateDraftState;
  saving: TemplateSaveState;
  check: CheckState;
  editable: boolean;
  dirty: boolean;
  recipient: Signal<Recipient>;
  onChooseImage?: ChooseImage;
}) {
  const { draft, local } = form;
  const current = form.saved.value;
  const problems = check.result.value?.problems ?? saving.lastSaveProblems.value;
  const shownErrors = withSubjectProblem(saving.errors.value, problems);
  const blocks = draft.value.editor === "blocks" ? draft.value.blocks : null;
  const compile = useBlocksCompile(form);
  return (
    <form
      class={`template-editor${blocks ? " template-editor--blocks" : ""}`}
      onSubmit={saving.save}
      aria-label={t("templates.template")}
      noValidate
    >
      {!editable && (
        <p class="banner banner--info" role="note">
          {t("templates.editor.readOnly")}
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
      {!current && editable && <StartChoice form={form} />}
      <HeaderFields draft={draft.value} errors={shownErrors} onChange={form.change} readOnly={!editable} />
      <div class="template-editor__body">
        <div class="card template-editor__code">
          {blocks ? (
            <>
              <BlockBuilder
                key={form.revision.value}
                doc={blocks}
                readOnly={!editable}
                onChange={(next) => form.change({ blocks: next })}
                onConvert={() => convertToHtml(form)}
                onChooseImage={onChooseImage}
              />
              {draft.value.kind === "campaign" && !hasFooter(blocks) && (
                <p class="banner banner--warning" role="alert">
                  {t("templates.editor.needsFooter")}
                </p>
              )}
              <ErrorBanner error={compile.failure.value} />
            </>
          ) : (
            <BodyFields
              draft={draft.value}
              revision={form.revision.value}
              errors={shownErrors}
              onChange={form.change}
              readOnly={!editable}
              problems={problems}
            />
          )}
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
              {dirty && current && <span class="muted">{t("common.unsavedChanges")}</span>}
              <button type="submit" class="button button--primary" disabled={saving.busy.value}>
                {saving.busy.value
                  ? t("common.saving")
                  : current
                    ? t("templates.editor.save")
                    : t("templates.editor.create")}
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

/** Leaves the builder: the code editor takes the HTML compiled from the blocks as they are now. */
async function convertToHtml(form: TemplateDraftState) {
  const blocks = form.draft.value.blocks;
  const html = blocks ? (await content.templates.compile(blocks)).html : form.draft.value.html;
  form.replace({ ...form.draft.value, editor: "html", blocks: null, html });
  form.keepLocally(form.draft.value);
}

/** A new template: written in HTML, or built from blocks starting from a layout (in the brand's theme). */
function StartChoice({ form }: { form: TemplateDraftState }) {
  const layout = useSignal<LayoutName>("newsletter");
  const brand = useResource(() => brandTheme(), "brand");
  const draft = form.draft.value;
  const keep = (next: Draft): Draft => ({
    ...next,
    name: draft.name,
    kind: draft.kind,
    subject: draft.subject,
  });
  const start = (editor: "html" | "blocks") =>
    form.replace(
      keep(
        editor === "html"
          ? newDraft()
          : newBlocksDraft(layoutDocument(layout.value, brand.data.value as never)),
      ),
    );
  return (
    <section class="card template-start" aria-label={t("templates.start.label")}>
      <fieldset class="segmented">
        <legend>{t("templates.start.legend")}</legend>
        <button
          type="button"
          class="button"
          aria-pressed={draft.editor === "html"}
          onClick={() => start("html")}
        >
          {t("templates.start.code")}
        </button>
        <button
          type="button"
          class="button"
          aria-pressed={draft.editor === "blocks"}
          onClick={() => start("blocks")}
        >
          {t("templates.start.blocks")}
        </button>
      </fieldset>
      <label class="field">
        <span class="field__label">{t("templates.start.layout")}</span>
        <select
          id="template-layout"
          value={layout.value}
          onChange={(e) => {
            layout.value = e.currentTarget.value as LayoutName;
            if (draft.editor === "blocks") start("blocks");
          }}
        >
          {LAYOUTS.map((name) => (
            <option key={name} value={name}>
              {t(`templates.layouts.${name}`)}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

/** The field errors, with the live check's subject problem when the save named none. */
function withSubjectProblem(errors: TemplateErrors, problems: TemplateProblem[]): TemplateErrors {
  const subjectProblem = problems.find((problem) => problem.part === "subject");
  return {
    ...errors,
    subject:
      errors.subject ??
      (subjectProblem &&
        t("templates.problems.atColumn", { column: subjectProblem.column, message: subjectProblem.message })),
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
      title={t("templates.delete.title")}
      confirmLabel={t("templates.delete.confirm")}
      onClose={onClose}
      onConfirm={async () => {
        await content.templates.remove(template.id);
        onDeleted();
        notify(t("templates.deleted", { name: template.name }));
        route("/templates");
      }}
    >
      <p>
        <Trans
          k="templates.delete.body"
          values={{ name: template.name }}
          parts={[(text) => <strong>{text}</strong>]}
        />
      </p>
    </ConfirmDialog>
  );
}

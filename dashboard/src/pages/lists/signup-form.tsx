import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { useEffect } from "preact/hooks";
import { audience, type Field as FieldDef, fetchAll, type List } from "../../api/audience";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { t } from "../../i18n";
import { canEdit } from "../../session";
import { SignupFields } from "./signup-fields";
import {
  type Draft,
  type DraftKey,
  draftErrors,
  LANGUAGES,
  NAME_MODES,
  toBody,
  toDraft,
} from "./signup-model";
import { SignupPreview } from "./signup-preview";
import "./signup-form.css";

/** `/lists/:id/signup`: the hosted signup page and embed snippet of a list, with a live preview. */
export function SignupFormPage({ id = "" }: { id?: string }) {
  const loaded = useSignal<{ list: List; fields: FieldDef[] } | null>(null);
  const failure = useSignal<unknown>(null);
  const load = () => {
    failure.value = null;
    Promise.all([audience.lists.get(id), fetchAll(() => audience.fields.list())])
      .then(([list, fields]) => {
        loaded.value = { list, fields };
      })
      .catch((error: unknown) => {
        failure.value = error;
      });
  };
  useEffect(load, [id]);
  const data = loaded.value;
  if (!data) {
    return (
      <Page title={t("lists.signup.title")}>
        <ErrorBanner error={failure.value} onRetry={load} />
        {!failure.value && (
          <p class="muted" aria-busy="true">
            {t("common.loading")}
          </p>
        )}
      </Page>
    );
  }
  return (
    <SignupFormEditor
      list={data.list}
      fields={data.fields}
      onSaved={(list) => (loaded.value = { ...data, list })}
    />
  );
}

interface EditorProps {
  list: List;
  fields: FieldDef[];
  onSaved: (list: List) => void;
}

function SignupFormEditor({ list, fields, onSaved }: EditorProps) {
  const notify = useToast();
  const draft = useSignal<Draft>(toDraft(list));
  const errors = useSignal<Partial<Record<DraftKey, string>>>({});
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);
  const editable = canEdit.value && !list.archivedAt;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    draft.value = { ...draft.value, [key]: value };
    if (errors.value[key]) errors.value = { ...errors.value, [key]: undefined };
  };
  const bind = (key: "title" | "intro" | "buttonLabel" | "successMessage") => ({
    id: `signup-${key}`,
    value: draft.value[key],
    error: errors.value[key],
    disabled: !editable,
    onInput: (value: string) => set(key, value),
  });

  const save = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    failure.value = null;
    try {
      const saved = await audience.lists.update(list.id, toBody(draft.value));
      errors.value = {};
      onSaved(saved);
      notify(t("lists.signup.saved"));
    } catch (caught) {
      errors.value = draftErrors(caught);
      if (Object.keys(errors.value).length === 0) failure.value = caught;
    } finally {
      busy.value = false;
    }
  };

  return (
    <Page
      title={t("lists.signup.titleFor", { name: list.name })}
      intro={list.optIn === "double" ? t("lists.signup.introDouble") : t("lists.signup.introSingle")}
      actions={
        <a class="button" href="/lists">
          {t("lists.signup.back")}
        </a>
      }
    >
      {list.visibility === "private" && (
        <p class="banner banner--warning" role="note">
          {t("lists.signup.privateWarning")}
        </p>
      )}
      <div class="signup-builder">
        <form class="card form signup-builder__form" onSubmit={save} aria-label={t("lists.signup.settings")}>
          <Field
            {...bind("title")}
            label={t("lists.signup.titleLabel")}
            placeholder={list.name}
            hint={t("lists.signup.titleHint")}
          />
          <Field
            {...bind("intro")}
            label={t("lists.signup.introduction")}
            multiline
            placeholder={list.description ?? ""}
            hint={t("lists.signup.introductionHint")}
          />
          <Field
            id="signup-name"
            label={t("common.name")}
            value={draft.value.name}
            error={errors.value.name}
            disabled={!editable}
            options={NAME_MODES.map((value) => ({ value, label: t(`lists.signup.nameModes.${value}`) }))}
            onInput={(value) => set("name", value as Draft["name"])}
          />
          <SignupFields
            fields={fields}
            chosen={draft.value.fields}
            error={errors.value.fields}
            disabled={!editable}
            onChange={(chosen) => set("fields", chosen)}
          />
          <Field
            {...bind("buttonLabel")}
            label={t("lists.signup.buttonLabel")}
            placeholder={t("lists.signup.buttonPlaceholder")}
          />
          <Field
            {...bind("successMessage")}
            label={t("lists.signup.successMessage")}
            multiline
            hint={t("lists.signup.successHint")}
          />
          <Field
            id="signup-language"
            label={t("lists.signup.language")}
            value={draft.value.language}
            error={errors.value.language}
            disabled={!editable}
            options={LANGUAGES.map(({ value, label }) => ({
              value,
              label: label ?? t("lists.signup.visitorLanguage"),
            }))}
            onInput={(value) => set("language", value as Draft["language"])}
          />
          <ErrorBanner error={failure.value} />
          {editable && (
            <div class="form__actions">
              <button type="button" class="button" onClick={() => (draft.value = toDraft(list))}>
                {t("common.discardChanges")}
              </button>
              <button type="submit" class="button button--primary" disabled={busy.value}>
                {busy.value ? t("common.saving") : t("lists.signup.save")}
              </button>
            </div>
          )}
        </form>
        <SignupPreview listId={list.id} draft={draft.value} />
      </div>
    </Page>
  );
}

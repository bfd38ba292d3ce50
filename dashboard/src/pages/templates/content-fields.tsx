import type { TemplateKind, TemplateProblem } from "../../api/content";
import { Checkbox } from "../../components/checkbox-group";
import { CodeEditor } from "../../components/code-editor";
import { Field } from "../../components/field";
import { t } from "../../i18n";
import { type Draft, kindOptions, problemsIn } from "./draft";

/** What a kind is for; the Liquid in it goes in as a value, so i18next leaves it alone. */
function kindHint(kind: TemplateKind): string {
  return kind === "campaign"
    ? t("templates.kindHints.campaign", { link: "{{ unsubscribe_url }}" })
    : t("templates.kindHints.transactional", { values: "{{ data.* }}" });
}

/** The server's messages for the template form, by field. */
export type TemplateErrors = Partial<Record<keyof Draft, string>>;

interface FieldsProps {
  draft: Draft;
  errors: TemplateErrors;
  onChange: (patch: Partial<Draft>) => void;
  readOnly: boolean;
}

/** Name, kind and subject: the single-line part of the template form. */
export function HeaderFields({ draft, errors, onChange, readOnly }: FieldsProps) {
  return (
    <div class="card form form--grid template-header">
      <Field
        id="template-name"
        label={t("common.name")}
        value={draft.name}
        error={errors.name}
        onInput={(name) => onChange({ name })}
        autoComplete="off"
        required
        disabled={readOnly}
      />
      <Field
        id="template-kind"
        label={t("templates.columns.kind")}
        value={draft.kind}
        error={errors.kind}
        options={kindOptions()}
        hint={kindHint(draft.kind)}
        onInput={(kind) => onChange({ kind: kind === "transactional" ? "transactional" : "campaign" })}
        disabled={readOnly}
      />
      <div class="form__full">
        <Field
          id="template-subject"
          label={t("templates.columns.subject")}
          value={draft.subject}
          error={errors.subject}
          onInput={(subject) => onChange({ subject: subject.replace(/[\r\n]+/g, " ") })}
          autoComplete="off"
          required
          disabled={readOnly}
          hint={t("templates.subjectHint", { example: "{{ subscriber.name }}" })}
        />
      </div>
    </div>
  );
}

interface BodyProps extends FieldsProps {
  /** Bumped when the draft is replaced from outside, so the code editors take its text. */
  revision: number;
  /** The problems to mark: the live check's, else the last save's. */
  problems: readonly TemplateProblem[];
}

/** The HTML and plain-text parts in code editors with their problems marked, and "Inline CSS on save". */
export function BodyFields({ draft, revision, errors, onChange, readOnly, problems }: BodyProps) {
  return (
    <>
      <CodeEditor
        id="template-html"
        label={t("templates.parts.html")}
        language="liquid-html"
        value={draft.html}
        revision={revision}
        onChange={(html) => onChange({ html })}
        problems={problemsIn(problems, "html")}
        error={errors.html}
        readOnly={readOnly}
      />
      <CodeEditor
        id="template-text"
        label={t("templates.parts.text")}
        language="liquid-text"
        value={draft.text}
        revision={revision}
        onChange={(text) => onChange({ text })}
        problems={problemsIn(problems, "text")}
        error={errors.text}
        readOnly={readOnly}
        placeholder={t("templates.textPlaceholder")}
        hint={t("templates.textHint")}
      />
      {!readOnly && (
        <Checkbox
          id="template-inline-css"
          label={t("templates.inlineCss")}
          checked={draft.inlineCss}
          onChange={(inlineCss) => onChange({ inlineCss })}
          hint={t("templates.inlineCssHint")}
        />
      )}
    </>
  );
}

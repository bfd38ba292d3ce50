import type { TemplateKind, TemplateProblem } from "../../api/content";
import { Checkbox } from "../../components/checkbox-group";
import { CodeEditor } from "../../components/code-editor";
import { Field } from "../../components/field";
import { type Draft, KIND_OPTIONS, problemsIn } from "./draft";

const KIND_HINTS: Record<TemplateKind, string> = {
  campaign: "Sent to lists and segments; must link {{ unsubscribe_url }}.",
  transactional: "Sent one at a time through the API (receipts, resets), with {{ data.* }} values.",
};

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
        label="Name"
        value={draft.name}
        error={errors.name}
        onInput={(name) => onChange({ name })}
        autoComplete="off"
        required
        disabled={readOnly}
      />
      <Field
        id="template-kind"
        label="Kind"
        value={draft.kind}
        error={errors.kind}
        options={KIND_OPTIONS}
        hint={KIND_HINTS[draft.kind]}
        onInput={(kind) => onChange({ kind: kind === "transactional" ? "transactional" : "campaign" })}
        disabled={readOnly}
      />
      <div class="form__full">
        <Field
          id="template-subject"
          label="Subject"
          value={draft.subject}
          error={errors.subject}
          onInput={(subject) => onChange({ subject: subject.replace(/[\r\n]+/g, " ") })}
          autoComplete="off"
          required
          disabled={readOnly}
          hint="Liquid works here too, e.g. {{ subscriber.name }}."
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
        label="HTML"
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
        label="Plain text"
        language="liquid-text"
        value={draft.text}
        revision={revision}
        onChange={(text) => onChange({ text })}
        problems={problemsIn(problems, "text")}
        error={errors.text}
        readOnly={readOnly}
        placeholder="Empty: generated from the HTML."
        hint="Optional. Leave it empty to generate the plain-text part from the HTML."
      />
      {!readOnly && (
        <Checkbox
          id="template-inline-css"
          label="Inline CSS on save"
          checked={draft.inlineCss}
          onChange={(inlineCss) => onChange({ inlineCss })}
          hint="Moves <style> rules into style attributes when saving: many mail clients drop <style>."
        />
      )}
    </>
  );
}

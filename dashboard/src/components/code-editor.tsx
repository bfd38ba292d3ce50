import { html } from "@codemirror/lang-html";
import { liquid } from "@codemirror/lang-liquid";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { Annotation, Compartment, EditorState, Prec, type Text } from "@codemirror/state";
import { EditorView, placeholder } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import "./code-editor.css";

/** A problem to mark in the editor, with a 1-based line and column as the API reports them. */
export interface CodeProblem {
  line: number;
  column: number;
  message: string;
  severity?: "error" | "warning";
}

interface CodeEditorProps {
  id: string;
  label: string;
  /** The text to show at first, and again whenever `revision` changes. */
  value: string;
  /**
   * Bumped by the owner when it replaces the text from outside (a load, a restored version, a
   * discarded draft). Between bumps the editor's own document is the truth: `value` is only the
   * echo of `onChange` and is never pushed back (see the note in the component).
   */
  revision: number;
  /** Every change the author makes (not the replacements that `revision` brings). */
  onChange: (value: string) => void;
  /** "liquid-html": Liquid inside HTML; "liquid-text": Liquid in plain text. */
  language: "liquid-html" | "liquid-text";
  problems?: readonly CodeProblem[];
  hint?: string;
  /** A message beside the editor (the server's, or "empty means generated"). */
  error?: string | undefined;
  readOnly?: boolean;
  placeholder?: string;
}

/**
 * Auto-close brackets but not quotes. In Liquid inside HTML, CodeMirror takes the `"` after `}}` for
 * the start of a new string: typing `href="{{ unsubscribe_url }}"` left a stray `"` after the tag,
 * visible in every mail. Ahead of the languages' own settings, which `closeBrackets` reads first.
 */
const bracketsOnly = Prec.highest(
  EditorState.languageData.of(() => [{ closeBrackets: { brackets: ["(", "[", "{"] } }]),
);

/** Marks the transaction that applies a new `value` from outside, which is not reported back. */
const external = Annotation.define<boolean>();

/** A labelled CodeMirror 6 editor for Liquid templates, with problems shown as lint diagnostics. */
export function CodeEditor(props: CodeEditorProps) {
  const { id, label, hint, error } = props;
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const editable = useRef(new Compartment());
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const labelId = `${id}-label`;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ");

  useEffect(() => {
    if (!host.current) return;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          basicSetup,
          bracketsOnly,
          lintGutter(),
          EditorView.lineWrapping,
          props.language === "liquid-html" ? liquid({ base: html() }) : liquid(),
          editable.current.of(readOnlyExtensions(props.readOnly ?? false)),
          props.placeholder ? placeholder(props.placeholder) : [],
          EditorView.contentAttributes.of({ "aria-labelledby": labelId, "data-testid": `${id}-editor` }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            if (update.transactions.some((tr) => tr.annotation(external))) return;
            onChange.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
  }, []);

  // A new value from outside: replace the text, keep the undo history. Keyed by `revision`, not
  // by `value`: a `value` effect ran one render late, after the next key had already changed the
  // document, and its stale text was dispatched, reported, rendered and pushed back in turn; two
  // keys within a frame (ordinary fast typing) ping-ponged the two texts forever and froze the tab.
  useLayoutEffect(() => {
    const current = view.current;
    if (!current || current.state.doc.toString() === props.value) return;
    current.dispatch({
      changes: { from: 0, to: current.state.doc.length, insert: props.value },
      annotations: external.of(true),
    });
  }, [props.revision]);

  useEffect(() => {
    view.current?.dispatch({
      effects: editable.current.reconfigure(readOnlyExtensions(props.readOnly ?? false)),
    });
  }, [props.readOnly]);

  // Keyed by content, not identity: re-setting unchanged problems would undo CodeMirror's mapping
  // of them through the edits made since.
  const problemsKey = JSON.stringify(props.problems ?? []);
  useEffect(() => {
    const current = view.current;
    if (!current) return;
    const diagnostics = (props.problems ?? []).map((problem) => toDiagnostic(current.state.doc, problem));
    current.dispatch(setDiagnostics(current.state, diagnostics));
  }, [problemsKey]);

  // aria-describedby changes with the error, so it is kept up to date on the content element.
  useEffect(() => {
    const content = view.current?.contentDOM;
    if (!content) return;
    if (describedBy) content.setAttribute("aria-describedby", describedBy);
    else content.removeAttribute("aria-describedby");
    if (error) content.setAttribute("aria-invalid", "true");
    else content.removeAttribute("aria-invalid");
  }, [describedBy, error]);

  return (
    <div class={error ? "field field--invalid code-field" : "field code-field"}>
      {/* Not a <label for>: the editor is a contenteditable, named through aria-labelledby. */}
      <span class="code-field__label" id={labelId}>
        {label}
      </span>
      <div class="code-editor" ref={host} />
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function readOnlyExtensions(readOnly: boolean) {
  return [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)];
}

/** Line and column (1-based) -> a range of one character, clamped to the document as it is now. */
function toDiagnostic(doc: Text, problem: CodeProblem): Diagnostic {
  const lineNumber = Math.min(Math.max(problem.line, 1), doc.lines);
  const line = doc.line(lineNumber);
  const from = Math.min(line.from + Math.max(problem.column - 1, 0), line.to);
  const to = from < line.to ? from + 1 : from;
  return { from, to, severity: problem.severity ?? "error", message: problem.message };
}

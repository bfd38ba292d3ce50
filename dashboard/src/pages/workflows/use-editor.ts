import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { GroupNode } from "../segments/model";
import { applyEdit, type EditorState, redo, replaceDoc, startState, undo } from "./history";
import type { WorkflowDoc } from "./model";

export interface Editor {
  state: Signal<EditorState>;
  /** The selected node's id, "trigger", or null (nothing: the panel shows the workflow's settings). */
  selected: Signal<string | null>;
  /** Conditions and goals whose rule builder holds an unfinished condition (their rule is not written yet). */
  incomplete: Signal<ReadonlySet<string>>;
  /** The unfinished rule trees of those (by node id or "goal"), so leaving the panel loses nothing. */
  ruleDrafts: Map<string, GroupNode>;
  /** Applies an edit; `scope` names what an input edits so that typing in it is one undo step. */
  change: (update: (doc: WorkflowDoc) => WorkflowDoc, scope?: string) => void;
  undo: () => void;
  redo: () => void;
  replace: (doc: WorkflowDoc) => void;
  markIncomplete: (key: string, incomplete: boolean) => void;
}

/**
 * The editor's state in one signal, with Ctrl/Cmd-Z and Ctrl/Cmd-Shift-Z (or Ctrl-Y) bound while
 * it is mounted. `onChange` hears every new document (to keep a local draft).
 */
export function useEditor(
  initial: WorkflowDoc,
  onChange: (doc: WorkflowDoc) => void,
  readOnly: boolean,
): Editor {
  const state = useSignal<EditorState>(startState(initial));
  const selected = useSignal<string | null>(null);
  const incomplete = useSignal<ReadonlySet<string>>(new Set());
  const ruleDrafts = useRef(new Map<string, GroupNode>()).current;
  // Counts focus moves: edits of one scope within one focus session are one step of undo.
  const focusSession = useRef(0);
  const listener = useRef(onChange);
  listener.current = onChange;

  const set = (next: EditorState) => {
    if (next === state.value) return;
    const docChanged = next.doc !== state.value.doc;
    // The document was replaced (undo, redo, a new shape): unfinished rules belonged to the old one.
    if (next.revision !== state.value.revision) {
      ruleDrafts.clear();
      incomplete.value = new Set();
    }
    state.value = next;
    if (docChanged) listener.current(next.doc);
  };
  const editor: Editor = {
    state,
    selected,
    incomplete,
    ruleDrafts,
    change: (update, scope) => {
      if (!readOnly)
        set(applyEdit(state.value, update(state.value.doc), scope, Date.now(), focusSession.current));
    },
    undo: () => set(undo(state.value)),
    redo: () => set(redo(state.value)),
    replace: (doc) => set(replaceDoc(state.value, doc)),
    markIncomplete: (key, on) => {
      if (incomplete.value.has(key) === on) return;
      const next = new Set(incomplete.value);
      if (on) next.add(key);
      else next.delete(key);
      incomplete.value = next;
    },
  };

  useEffect(() => {
    const onFocus = () => {
      focusSession.current++;
    };
    window.addEventListener("focusin", onFocus);
    return () => window.removeEventListener("focusin", onFocus);
  }, []);

  useEffect(() => {
    if (readOnly) return;
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      const isRedo = (key === "z" && event.shiftKey) || (key === "y" && !event.shiftKey);
      if (key !== "z" && !isRedo) return;
      // A dialog (a confirmation) keeps its own keys.
      if (event.target instanceof Element && event.target.closest("dialog")) return;
      event.preventDefault();
      if (isRedo) editor.redo();
      else editor.undo();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [readOnly]);

  return editor;
}

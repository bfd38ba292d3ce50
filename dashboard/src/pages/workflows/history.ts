/**
 * The editor's one state: the document, its undo and redo stacks, and a `revision` that changes
 * only when the document is replaced from outside the inputs (undo, redo, a discarded draft).
 * Inputs are keyed on the revision, so typing never resets them and an undo always does.
 */
import type { WorkflowDoc } from "./model";

/**
 * Typing in one input is one step of undo, not one per key: while the input keeps the focus (a
 * focus session), or, where no session is given, within this long of the last key. The time rule
 * alone split a fast-typed label into several steps when the page stalled for a moment under load.
 */
const COALESCE_MS = 1200;
const LIMIT = 200;

export interface EditorState {
  doc: WorkflowDoc;
  past: WorkflowDoc[];
  future: WorkflowDoc[];
  revision: number;
  /** What the last change edited ("send-1", "trigger"), when, and in which focus session: consecutive edits of it merge. */
  last: { scope: string; at: number; session?: number } | null;
}

export function startState(doc: WorkflowDoc): EditorState {
  return { doc, past: [], future: [], revision: 0, last: null };
}

/**
 * Applies an edit. `scope` names what an input edits; a structural change (insert, delete) has
 * none and is always its own step. A no-op returns the same state.
 */
export function applyEdit(
  state: EditorState,
  doc: WorkflowDoc,
  scope?: string,
  now = Date.now(),
  session?: number,
): EditorState {
  if (doc === state.doc) return state;
  const last = state.last;
  const sameTyping =
    last !== null &&
    (session !== undefined && last.session !== undefined
      ? session === last.session
      : now - last.at < COALESCE_MS);
  const merge = scope !== undefined && last?.scope === scope && sameTyping && state.past.length > 0;
  return {
    doc,
    past: merge ? state.past : [...state.past, state.doc].slice(-LIMIT),
    future: [],
    revision: scope === undefined ? state.revision + 1 : state.revision,
    last: scope === undefined ? null : { scope, at: now, session },
  };
}

export function undo(state: EditorState): EditorState {
  const previous = state.past[state.past.length - 1];
  if (!previous) return state;
  return {
    doc: previous,
    past: state.past.slice(0, -1),
    future: [state.doc, ...state.future],
    revision: state.revision + 1,
    last: null,
  };
}

export function redo(state: EditorState): EditorState {
  const next = state.future[0];
  if (!next) return state;
  return {
    doc: next,
    past: [...state.past, state.doc],
    future: state.future.slice(1),
    revision: state.revision + 1,
    last: null,
  };
}

/** Replaces the document from outside (a discarded draft): a new start, with no undo across it. */
export function replaceDoc(state: EditorState, doc: WorkflowDoc): EditorState {
  return { ...startState(doc), revision: state.revision + 1 };
}

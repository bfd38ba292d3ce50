import { type Signal, useSignal } from "@preact/signals";
import { useMemo } from "preact/hooks";
import type { Workflow, WorkflowStats } from "../../api/workflows";
import { draftKey, type LocalDraft, useLocalDraft } from "../../hooks/use-local-draft";
import { locale } from "../../i18n";
import { docOf, reviveDoc, toBody, type WorkflowDoc } from "./model";
import { type Checked, checkDoc, merge, type Placed, place, stillCurrent } from "./problems";
import type { Starter } from "./starters";
import { isRunning } from "./status";
import { useWorkflowActions, type WorkflowActions } from "./use-actions";
import { type Editor, useEditor } from "./use-editor";
import { useWorkflowStats } from "./use-stats";

export interface WorkflowEditorState {
  /** The server's copy (null until created); actions replace it with their answers. */
  workflow: Signal<Workflow | null>;
  /** The document as last saved (or the starting point), for "Discard changes". */
  base: WorkflowDoc;
  local: LocalDraft<WorkflowDoc>;
  editor: Editor;
  checked: Checked;
  /** Problems by place: the live checks and what the server refused, together. */
  placed: Placed;
  actions: WorkflowActions;
  stats: Signal<WorkflowStats | null>;
  dirty: boolean;
}

/**
 * Everything the editor page holds: the server copy, the local draft (kept on every edit and
 * restored after a reload), the document with its history, its problems, the actions and the
 * live counts.
 */
export function useWorkflowEditor(
  initial: Workflow | null,
  starter: Starter,
  readOnly: boolean,
): WorkflowEditorState {
  const workflow = useSignal(initial);
  const base = initial ? docOf(initial) : starter.doc;
  const saved = useSignal(initial ? JSON.stringify(toBody(base)) : "");
  const differs = (doc: WorkflowDoc) => JSON.stringify(toBody(doc)) !== saved.value;
  // Readers get no draft: one kept while they could still edit would show as if it were saved.
  const key = readOnly ? null : draftKey("workflow", initial?.id ?? `new-${starter.key}`);
  const local = useLocalDraft(key, base, differs);
  const keep = (doc: WorkflowDoc) =>
    local.keep(doc, differs(doc), local.restored.value?.base ?? workflow.value?.updatedAt ?? null);
  const editor = useEditor(local.restored.value ? reviveDoc(local.initial) : base, keep, readOnly);
  const doc = editor.state.value.doc;
  // The problems are words: a change of language checks again.
  const checked = useMemo(
    () => checkDoc(doc, editor.incomplete.value),
    [doc, editor.incomplete.value, locale.value],
  );
  const actions = useWorkflowActions({ workflow, editor, local, saved, blocking: () => checked.blocking });
  const stats = useWorkflowStats(workflow.value?.id ?? null, isRunning(workflow.value?.status));
  const refused = actions.server.value;
  const fromServer = useMemo(() => place(stillCurrent(refused, doc), doc), [refused, doc]);
  const placed = useMemo(() => merge(checked.placed, fromServer), [checked.placed, fromServer]);
  return { workflow, base, local, editor, checked, placed, actions, stats, dirty: differs(doc) };
}

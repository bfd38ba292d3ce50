import { useSignal } from "@preact/signals";
import type { Workflow, WorkflowStatus } from "../../api/workflows";
import { type Action, ActionButtons } from "../../components/action-buttons";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { isRunning } from "./status";
import type { Busy, WorkflowActions } from "./use-actions";
import type { Editor } from "./use-editor";

interface ToolbarProps {
  workflow: Workflow | null;
  editor: Editor;
  actions: WorkflowActions;
  dirty: boolean;
  /** Problems that stop activation (shown as a count). */
  problemCount: number;
  readOnly: boolean;
}

/** Undo and redo, the problem count, Save, and the actions the workflow's status allows. */
export function Toolbar({ workflow, editor, actions, dirty, problemCount, readOnly }: ToolbarProps) {
  const confirming = useSignal(false);
  const { past, future } = editor.state.value;
  const busy = actions.busy.value;
  if (readOnly) return null;
  const lifecycle = lifecycleActions(
    workflow?.status ?? "draft",
    busy,
    actions,
    () => (confirming.value = true),
  );
  return (
    <div class="wf-toolbar" role="toolbar" aria-label="Workflow actions">
      <button
        type="button"
        class="button button--small"
        onClick={editor.undo}
        disabled={past.length === 0}
        title="Undo (Ctrl/Cmd-Z)"
      >
        Undo
      </button>
      <button
        type="button"
        class="button button--small"
        onClick={editor.redo}
        disabled={future.length === 0}
        title="Redo (Ctrl/Cmd-Shift-Z)"
      >
        Redo
      </button>
      <span class={problemCount > 0 ? "wf-toolbar__problems" : "muted"} data-testid="problem-count">
        {problemCount > 0
          ? `${problemCount} problem(s) to fix`
          : workflow && isRunning(workflow.status)
            ? "No problems"
            : "Ready to activate"}
      </span>
      <span class="wf-toolbar__spacer" />
      {dirty && <span class="muted">Unsaved changes</span>}
      <button type="button" class="button" onClick={actions.save} disabled={busy !== null}>
        {busy === "save" ? "Saving…" : workflow ? "Save" : "Create workflow"}
      </button>
      <ActionButtons actions={lifecycle} disabled={busy !== null} />
      {confirming.value && workflow && (
        <ConfirmDialog
          title="Deactivate this workflow?"
          confirmLabel="Deactivate"
          onClose={() => (confirming.value = false)}
          onConfirm={actions.deactivate}
        >
          <p>
            Nobody new enters <strong>{workflow.name}</strong>, and every run still in it ends where it stands
            ({workflow.counts.active.toLocaleString()} active now). It can be activated again later.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** What the status allows: activate (a draft or inactive one), resume, pause, deactivate (asks first). */
function lifecycleActions(
  status: WorkflowStatus,
  busy: Busy,
  actions: WorkflowActions,
  askDeactivate: () => void,
): Action[] {
  const offered: (Action | false)[] = [
    (status === "draft" || status === "inactive") && {
      key: "activate",
      label: busy === "activate" ? "Activating…" : "Activate",
      tone: "primary",
      onClick: actions.activate,
    },
    status === "paused" && {
      key: "resume",
      label: busy === "activate" ? "Resuming…" : "Resume",
      tone: "primary",
      onClick: actions.activate,
    },
    status === "active" && {
      key: "pause",
      label: busy === "pause" ? "Pausing…" : "Pause",
      onClick: actions.pause,
    },
    (status === "active" || status === "paused") && {
      key: "deactivate",
      label: "Deactivate…",
      tone: "danger-quiet",
      onClick: askDeactivate,
    },
  ];
  return offered.filter((action) => action !== false);
}

import { useSignal } from "@preact/signals";
import type { Workflow, WorkflowStatus } from "../../api/workflows";
import { type Action, ActionButtons } from "../../components/action-buttons";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { formatNumber } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
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
    <div class="wf-toolbar" role="toolbar" aria-label={t("workflows.toolbar.label")}>
      <button
        type="button"
        class="button button--small"
        onClick={editor.undo}
        disabled={past.length === 0}
        title={t("workflows.toolbar.undoTitle")}
      >
        {t("workflows.toolbar.undo")}
      </button>
      <button
        type="button"
        class="button button--small"
        onClick={editor.redo}
        disabled={future.length === 0}
        title={t("workflows.toolbar.redoTitle")}
      >
        {t("workflows.toolbar.redo")}
      </button>
      <span class={problemCount > 0 ? "wf-toolbar__problems" : "muted"} data-testid="problem-count">
        {problemCount > 0
          ? t("workflows.toolbar.problems", { count: problemCount, formatted: formatNumber(problemCount) })
          : workflow && isRunning(workflow.status)
            ? t("workflows.toolbar.noProblems")
            : t("workflows.toolbar.ready")}
      </span>
      <span class="wf-toolbar__spacer" />
      {dirty && <span class="muted">{t("common.unsavedChanges")}</span>}
      <button type="button" class="button" onClick={actions.save} disabled={busy !== null}>
        {busy === "save" ? t("common.saving") : workflow ? t("common.save") : t("workflows.toolbar.create")}
      </button>
      <ActionButtons actions={lifecycle} disabled={busy !== null} />
      {confirming.value && workflow && (
        <ConfirmDialog
          title={t("workflows.toolbar.deactivateTitle")}
          confirmLabel={t("workflows.toolbar.deactivate")}
          onClose={() => (confirming.value = false)}
          onConfirm={actions.deactivate}
        >
          <p>
            <Trans
              k="workflows.toolbar.deactivateBody"
              values={{
                name: workflow.name,
                active: formatNumber(workflow.counts.active),
              }}
              parts={[(text) => <strong>{text}</strong>]}
            />
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
      label: busy === "activate" ? t("workflows.toolbar.activating") : t("workflows.toolbar.activate"),
      tone: "primary",
      onClick: actions.activate,
    },
    status === "paused" && {
      key: "resume",
      label: busy === "activate" ? t("workflows.toolbar.resuming") : t("workflows.toolbar.resume"),
      tone: "primary",
      onClick: actions.activate,
    },
    status === "active" && {
      key: "pause",
      label: busy === "pause" ? t("workflows.toolbar.pausing") : t("workflows.toolbar.pause"),
      onClick: actions.pause,
    },
    (status === "active" || status === "paused") && {
      key: "deactivate",
      label: t("workflows.toolbar.deactivateAsk"),
      tone: "danger-quiet",
      onClick: askDeactivate,
    },
  ];
  return offered.filter((action) => action !== false);
}

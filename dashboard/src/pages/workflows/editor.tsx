import { useCallback } from "preact/hooks";
import { ApiError } from "../../api/errors";
import type { NodeType, Workflow, WorkflowStats } from "../../api/workflows";
import { DraftNotice } from "../../components/draft-notice";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { canEdit } from "../../session";
import { Canvas } from "./canvas";
import { type InsertPoint, insertNode } from "./graph-edit";
import type { Lookups } from "./lookups";
import { docOf } from "./model";
import { SidePanel } from "./panels/side-panel";
import type { Starter } from "./starters";
import { isRunning, WorkflowStatusBadge } from "./status";
import { Toolbar } from "./toolbar";
import { useWorkflowEditor, type WorkflowEditorState } from "./use-workflow-editor";
import "./workflows.css";
import { t } from "../../i18n";
import { countsLine } from "./cards";

interface EditorProps {
  /** Null for a workflow not created yet (started from `starter`). */
  workflow: Workflow | null;
  starter: Starter;
  lookups: Lookups;
}

/** The workflow editor: the canvas, the side panel, the toolbar, and what keeps them honest. */
export function WorkflowEditor({ workflow: initial, starter, lookups }: EditorProps) {
  const readOnly = !canEdit.value;
  const state = useWorkflowEditor(initial, starter, readOnly);
  const { editor, placed, actions } = state;
  const doc = editor.state.value.doc;
  const current = state.workflow.value;
  const onSelect = useCallback((id: string | null) => (editor.selected.value = id), []);
  const onInsert = useCallback((at: InsertPoint, type: NodeType) => {
    let created = "";
    editor.change((before) => {
      const result = insertNode(before, at, type);
      created = result.id;
      return result.doc;
    });
    editor.selected.value = created;
  }, []);

  return (
    <Page
      title={current?.name || doc.name || t("workflows.list.new")}
      intro={<Intro workflow={current} stats={state.stats.value} />}
      actions={
        <a
          class="button"
          href={current ? `/workflows/${encodeURIComponent(current.id)}/instances` : "/workflows"}
        >
          {current ? t("workflows.runs.label") : t("workflows.editor.all")}
        </a>
      }
    >
      <Notices state={state} readOnly={readOnly} />
      <Toolbar
        workflow={current}
        editor={editor}
        actions={actions}
        dirty={state.dirty}
        problemCount={[...placed.values()].reduce((sum, list) => sum + list.length, 0)}
        readOnly={readOnly}
      />
      <div class="wf-editor">
        <Canvas
          doc={doc}
          placed={placed}
          stats={state.stats.value}
          lookups={lookups}
          selected={editor.selected.value}
          readOnly={readOnly}
          onSelect={onSelect}
          onInsert={onInsert}
        />
        <SidePanel editor={editor} lookups={lookups} placed={placed} readOnly={readOnly} />
      </div>
    </Page>
  );
}

function Intro({ workflow, stats }: { workflow: Workflow | null; stats: WorkflowStats | null }) {
  if (!workflow) return <>{t("workflows.editor.notCreated")}</>;
  const counts = stats?.counts ?? workflow.counts;
  return (
    <>
      <WorkflowStatusBadge status={workflow.status} />{" "}
      {t("workflows.editor.version", { version: workflow.version })} · {countsLine(counts)}
    </>
  );
}

/** What the author should know before editing: read-only, a restored draft, versions, problems. */
function Notices({ state, readOnly }: { state: WorkflowEditorState; readOnly: boolean }) {
  const { workflow, local, editor, actions } = state;
  const current = workflow.value;
  return (
    <>
      {readOnly && (
        <p class="banner banner--info" role="note">
          {t("workflows.editor.readOnly")}
        </p>
      )}
      {!readOnly && local.restored.value && (
        <DraftNotice
          draft={local.restored.value}
          noun={t("workflows.editor.draftNoun")}
          serverBase={current?.updatedAt ?? null}
          onDiscard={() => {
            local.clear();
            editor.replace(current ? docOf(current) : state.base);
          }}
        />
      )}
      {current && isRunning(current.status) && state.dirty && (
        <p class="banner banner--info" role="note" data-testid="version-notice">
          {t(`workflows.editor.versionNotice.${current.status === "paused" ? "paused" : "active"}`, {
            next: current.version + 1,
            version: current.version,
          })}
        </p>
      )}
      <WorkflowProblems problems={state.placed.get("workflow") ?? []} />
      <Failure error={actions.failure.value} />
    </>
  );
}

/** Problems about the workflow as a whole (no step to put them on). */
function WorkflowProblems({ problems }: { problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <div class="banner banner--error" role="alert" data-testid="workflow-problems">
      <ul class="wf-problems">
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}

/** A refused action: the server's error with its request id, or our own sentence as it is. */
function Failure({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  if (error instanceof ApiError) return <ErrorBanner error={error} />;
  return (
    <div class="banner banner--error" role="alert" data-testid="error-banner">
      {error instanceof Error ? error.message : String(error)}
    </div>
  );
}

import { useSignal } from "@preact/signals";
import { useCallback, useMemo } from "preact/hooks";
import { ApiError } from "../../api/errors";
import type { NodeType, Workflow } from "../../api/workflows";
import { DraftNotice } from "../../components/draft-notice";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { draftKey, useLocalDraft } from "../../hooks/use-local-draft";
import { canEdit } from "../../session";
import { Canvas } from "./canvas";
import { type InsertPoint, insertNode } from "./graph-edit";
import type { Lookups } from "./lookups";
import { docOf, reviveDoc, toBody, type WorkflowDoc } from "./model";
import { SidePanel } from "./panels/side-panel";
import { checkDoc, merge, place, stillCurrent } from "./problems";
import type { Starter } from "./starters";
import { isRunning, WorkflowStatusBadge } from "./status";
import { Toolbar } from "./toolbar";
import { useWorkflowActions } from "./use-actions";
import { useEditor } from "./use-editor";
import { useWorkflowStats } from "./use-stats";
import "./workflows.css";

interface EditorProps {
  /** Null for a workflow not created yet (started from `starter`). */
  workflow: Workflow | null;
  starter: Starter;
  lookups: Lookups;
}

/** The workflow editor: the canvas, the side panel, the toolbar, and what keeps them honest. */
export function WorkflowEditor({ workflow: initial, starter, lookups }: EditorProps) {
  const readOnly = !canEdit.value;
  const workflow = useSignal(initial);
  const base = initial ? docOf(initial) : starter.doc;
  const saved = useSignal(initial ? JSON.stringify(toBody(base)) : "");
  const differs = (doc: WorkflowDoc) => JSON.stringify(toBody(doc)) !== saved.value;
  // Readers get no draft: one kept while they could still edit would show as if it were saved.
  const local = useLocalDraft(
    readOnly ? null : draftKey("workflow", initial?.id ?? `new-${starter.key}`),
    base,
    differs,
  );
  const editor = useEditor(
    local.restored.value ? reviveDoc(local.initial) : base,
    (doc) => {
      local.keep(doc, differs(doc), local.restored.value?.base ?? workflow.value?.updatedAt ?? null);
    },
    readOnly,
  );
  const doc = editor.state.value.doc;
  const checked = useMemo(() => checkDoc(doc, editor.incomplete.value), [doc, editor.incomplete.value]);
  const actions = useWorkflowActions({ workflow, editor, local, saved, blocking: () => checked.blocking });
  const current = workflow.value;
  const stats = useWorkflowStats(current?.id ?? null, isRunning(current?.status));
  const fromServer = useMemo(
    () => place(stillCurrent(actions.server.value, doc), doc),
    [actions.server.value, doc],
  );
  const placed = useMemo(() => merge(checked.placed, fromServer), [checked.placed, fromServer]);
  const dirty = differs(doc);

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
      title={current?.name || doc.name || "New workflow"}
      intro={<Intro workflow={current} />}
      actions={
        <a
          class="button"
          href={current ? `/workflows/${encodeURIComponent(current.id)}/instances` : "/workflows"}
        >
          {current ? "Runs" : "All workflows"}
        </a>
      }
    >
      {readOnly && (
        <p class="banner banner--info" role="note">
          You can look at this workflow; editors and admins change and activate workflows.
        </p>
      )}
      {!readOnly && local.restored.value && (
        <DraftNotice
          draft={local.restored.value}
          noun="workflow"
          serverBase={current?.updatedAt ?? null}
          onDiscard={() => {
            local.clear();
            editor.replace(base);
          }}
        />
      )}
      {current && isRunning(current.status) && dirty && (
        <p class="banner banner--info" role="note" data-testid="version-notice">
          This workflow is {current.status}. Saving publishes version {current.version + 1} for new entries;
          running instances stay on version {current.version}.
        </p>
      )}
      <WorkflowProblems problems={placed.get("workflow") ?? []} />
      <Failure error={actions.failure.value} />
      <Toolbar
        workflow={current}
        editor={editor}
        actions={actions}
        dirty={dirty}
        problemCount={[...placed.values()].reduce((sum, list) => sum + list.length, 0)}
        readOnly={readOnly}
      />
      <div class="wf-editor">
        <Canvas
          doc={doc}
          placed={placed}
          stats={stats.value}
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

function Intro({ workflow }: { workflow: Workflow | null }) {
  if (!workflow) return <>Not created yet: choose the trigger and the steps, then create it.</>;
  return (
    <>
      <WorkflowStatusBadge status={workflow.status} /> Version {workflow.version} ·{" "}
      {workflow.counts.entered.toLocaleString()} entered · {workflow.counts.active.toLocaleString()} active ·{" "}
      {workflow.counts.converted.toLocaleString()} converted
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

import { type Signal, useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { type UpdateWorkflow, type Workflow, workflowsApi } from "../../api/workflows";
import { useToast } from "../../components/toast";
import type { LocalDraft } from "../../hooks/use-local-draft";
import { toBody, type WorkflowDoc } from "./model";
import { type Refused, serverProblems } from "./problems";
import type { Editor } from "./use-editor";

export type Busy = "save" | "activate" | "pause" | "deactivate" | null;

export interface WorkflowActions {
  busy: Signal<Busy>;
  /** A failure no node or field shows. */
  failure: Signal<unknown>;
  /** The problems of the last refused save or activation, with the document they were about. */
  server: Signal<Refused | null>;
  save: () => Promise<void>;
  activate: () => Promise<void>;
  pause: () => Promise<void>;
  deactivate: () => Promise<void>;
}

interface Options {
  workflow: Signal<Workflow | null>;
  editor: Editor;
  local: LocalDraft<WorkflowDoc>;
  /** The body as last saved (JSON); "" for a workflow not created yet. */
  saved: Signal<string>;
  /** How many problems would make the API refuse a save (checked here first, to say it plainly). */
  blocking: () => number;
}

/**
 * Save, activate (or resume), pause and deactivate, one request at a time: a second click while
 * one is on its way does nothing. Saving a workflow that runs publishes a new version.
 */
export function useWorkflowActions({ workflow, editor, local, saved, blocking }: Options): WorkflowActions {
  const { route } = useLocation();
  const notify = useToast();
  const busy = useSignal<Busy>(null);
  const failure = useSignal<unknown>(null);
  const server = useSignal<Refused | null>(null);

  /** Creates or updates; resolves to the saved workflow, or null (the reason is shown). */
  const persist = async (): Promise<Workflow | null> => {
    if (blocking() > 0) {
      failure.value = new Error(
        `Fix the ${blocking()} problem(s) marked on the steps and the trigger before saving.`,
      );
      return null;
    }
    const sent = editor.state.value.doc;
    const body = toBody(sent);
    const before = workflow.value;
    try {
      const result = before
        ? await workflowsApi.update(before.id, changes(body, saved.value))
        : await workflowsApi.create(body);
      saved.value = JSON.stringify(body);
      local.clear();
      // Edits made while the save was on its way are still unsaved: keep them.
      if (editor.state.value.doc !== sent) local.keep(editor.state.value.doc, true, result.updatedAt);
      workflow.value = result;
      if (before && result.version !== before.version && before.status !== "draft")
        notify(`Published version ${result.version}. Running instances stay on version ${before.version}.`);
      return result;
    } catch (caught) {
      const problems = serverProblems(caught, sent);
      server.value = problems ? { problems, doc: sent } : null;
      failure.value = problems
        ? new Error(`Not saved: ${problems.length} problem(s), marked on the steps.`)
        : caught;
      return null;
    }
  };

  /** Runs one action with the busy flag; a new workflow moves to its own address once created. */
  const run = async (what: Exclude<Busy, null>, action: () => Promise<Workflow | null>) => {
    if (busy.value) return;
    busy.value = what;
    failure.value = null;
    server.value = null;
    const isNew = workflow.value === null;
    let leaving = false;
    try {
      const result = await action();
      if (result && isNew) {
        leaving = true;
        route(`/workflows/${encodeURIComponent(result.id)}`, true);
      }
    } finally {
      if (!leaving) busy.value = null;
    }
  };

  const lifecycle = (call: (id: string) => Promise<Workflow>, done: string) => async () => {
    const target = workflow.value;
    if (!target) return null;
    try {
      const result = await call(target.id);
      workflow.value = result;
      notify(done);
      return result;
    } catch (caught) {
      const sent = editor.state.value.doc;
      const problems = serverProblems(caught, sent);
      server.value = problems ? { problems, doc: sent } : null;
      failure.value = problems
        ? new Error(`Cannot activate: ${problems.length} problem(s), marked on the steps.`)
        : caught;
      return null;
    }
  };

  const dirty = () => JSON.stringify(toBody(editor.state.value.doc)) !== saved.value;
  return {
    busy,
    failure,
    server,
    save: () => run("save", async () => (dirty() ? persist() : workflow.value)),
    activate: () =>
      run("activate", async () => {
        const ready = dirty() ? await persist() : workflow.value;
        const wasPaused = ready?.status === "paused";
        return (
          ready &&
          lifecycle(workflowsApi.activate, wasPaused ? "Resumed." : "Activated: subscribers now enter.")()
        );
      }),
    pause: () => run("pause", lifecycle(workflowsApi.pause, "Paused: every run holds where it stands.")),
    deactivate: () =>
      run(
        "deactivate",
        lifecycle(workflowsApi.deactivate, "Deactivated: no new entries; running instances exited."),
      ),
  };
}

/** What PATCH needs: the name alone when only it changed (no new version for a rename). */
function changes(body: ReturnType<typeof toBody>, saved: string): UpdateWorkflow {
  const before = saved ? (JSON.parse(saved) as ReturnType<typeof toBody>) : null;
  const { name, ...definition } = body;
  if (before) {
    const { name: _, ...previous } = before;
    if (JSON.stringify(previous) === JSON.stringify(definition)) return { name };
  }
  return body;
}

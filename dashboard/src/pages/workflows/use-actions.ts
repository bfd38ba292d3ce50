import { type Signal, useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { type UpdateWorkflow, type Workflow, workflowsApi } from "../../api/workflows";
import { useToast } from "../../components/toast";
import type { LocalDraft } from "../../hooks/use-local-draft";
import { t } from "../../i18n";
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

/** What the steps below share: the hook's options, its signals and the toast. */
interface Deps extends Options {
  failure: Signal<unknown>;
  server: Signal<Refused | null>;
  notify: (message: string) => void;
}

/**
 * Save, activate (or resume), pause and deactivate, one request at a time: a second click while
 * one is on its way does nothing. Saving a workflow that runs publishes a new version.
 */
export function useWorkflowActions(options: Options): WorkflowActions {
  const { route } = useLocation();
  const busy = useSignal<Busy>(null);
  const deps: Deps = {
    ...options,
    failure: useSignal<unknown>(null),
    server: useSignal<Refused | null>(null),
    notify: useToast(),
  };
  const { workflow, editor, saved } = options;

  /** Runs one action with the busy flag; a new workflow moves to its own address once created. */
  const run = async (what: Exclude<Busy, null>, action: () => Promise<Workflow | null>) => {
    if (busy.value) return;
    busy.value = what;
    deps.failure.value = null;
    deps.server.value = null;
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
  const dirty = () => JSON.stringify(toBody(editor.state.value.doc)) !== saved.value;
  const ensureSaved = async () => (dirty() ? persist(deps) : workflow.value);

  return {
    busy,
    failure: deps.failure,
    server: deps.server,
    save: () => run("save", ensureSaved),
    activate: () =>
      run("activate", async () => {
        const ready = await ensureSaved();
        if (!ready) return null;
        const done = t(
          ready.status === "paused" ? "workflows.actions.resumed" : "workflows.actions.activated",
        );
        return lifecycle(deps, workflowsApi.activate, done);
      }),
    pause: () => run("pause", () => lifecycle(deps, workflowsApi.pause, t("workflows.actions.paused"))),
    deactivate: () =>
      run("deactivate", () => lifecycle(deps, workflowsApi.deactivate, t("workflows.actions.deactivated"))),
  };
}

/** Creates or updates; resolves to the saved workflow, or null (the reason is shown). */
async function persist(deps: Deps): Promise<Workflow | null> {
  const { workflow, editor, local, saved, failure } = deps;
  const blocking = deps.blocking();
  if (blocking > 0) {
    failure.value = new Error(t("workflows.actions.fixFirst", { count: blocking }));
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
      deps.notify(t("workflows.actions.published", { version: result.version, previous: before.version }));
    return result;
  } catch (caught) {
    refuse(deps, caught, sent, t("workflows.actions.notSaved"));
    return null;
  }
}

/** Activate, pause or deactivate the saved workflow. */
async function lifecycle(
  deps: Deps,
  call: (id: string) => Promise<Workflow>,
  done: string,
): Promise<Workflow | null> {
  const target = deps.workflow.value;
  if (!target) return null;
  try {
    const result = await call(target.id);
    deps.workflow.value = result;
    deps.notify(done);
    return result;
  } catch (caught) {
    refuse(deps, caught, deps.editor.state.value.doc, t("workflows.actions.notDone"));
    return null;
  }
}

/** A 422 (or a 400) puts its problems on the steps; anything else is shown as it came. */
function refuse(deps: Deps, caught: unknown, sent: WorkflowDoc, what: string): void {
  const problems = serverProblems(caught, sent);
  deps.server.value = problems ? { problems, doc: sent } : null;
  deps.failure.value = problems
    ? new Error(t("workflows.actions.refused", { what, count: problems.length }))
    : caught;
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

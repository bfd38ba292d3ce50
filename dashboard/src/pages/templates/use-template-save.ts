import { useComputed, useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { useLocation } from "preact-iso";
import { issueStillApplies } from "../../../../workers/contract/messages";
import { content, type TemplateProblem } from "../../api/content";
import { ApiError, fieldErrors, fieldIssues, type Issue } from "../../api/errors";
import { useToast } from "../../components/toast";
import { t } from "../../i18n";
import type { TemplateErrors } from "./content-fields";
import { createBody, type Draft, draftOf, isPart, saveProblems, updateBody } from "./draft";
import type { TemplateDraftState } from "./use-template-draft";

/**
 * Saving the form: creates the template (then goes to its page) or updates it, and places the
 * server's problems beside the fields they concern.
 */
export function useTemplateSave(form: TemplateDraftState) {
  const { route } = useLocation();
  const notify = useToast();
  const { saved, local, draft } = form;
  const placedErrors = useSignal<TemplateErrors>({});
  const failed = useSignal<{ draft: Draft; issues: Record<string, Issue> } | null>(null);
  // A message goes as soon as its field is fixed (or, for Liquid problems, edited: the live check
  // takes over from there).
  const errors = useComputed(() => stillWrong(placedErrors.value, failed.value, draft.value));
  const lastSaveProblems = useSignal<TemplateProblem[]>([]);
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);

  const save = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    placedErrors.value = {};
    failed.value = null;
    failure.value = null;
    lastSaveProblems.value = [];
    // Read at the time of the click, not of the last render: a second click must see the first's result.
    const before = saved.value;
    const sent = draft.value;
    let leaving = false;
    try {
      if (!before) {
        const created = await content.templates.create(createBody(sent));
        local.clear();
        notify(t("templates.created", { name: created.name }));
        // Still busy until the page changes: a second click in between would create it twice.
        leaving = true;
        route(`/templates/${encodeURIComponent(created.id)}`, true);
        return;
      }
      const body = updateBody(sent, before);
      if (Object.keys(body).length === 0) {
        notify(t("templates.noChanges"));
        return;
      }
      const updated = await content.templates.update(before.id, body);
      saved.value = updated;
      local.clear();
      // Keys typed while the save was on its way stay in the form (and locally), still unsaved.
      if (draft.value === sent) form.replace({ ...draftOf(updated), inlineCss: sent.inlineCss });
      else form.keepLocally(draft.value);
      notify(
        updated.currentVersion > before.currentVersion
          ? t("templates.savedAs", { version: updated.currentVersion })
          : t("common.changesSaved"),
      );
    } catch (caught) {
      const placed = placeSaveError(caught, draft.value);
      lastSaveProblems.value = placed.problems;
      placedErrors.value = placed.byField;
      failed.value = { draft: sent, issues: fieldIssues(caught) };
      if (Object.keys(placed.byField).length === 0) failure.value = caught;
    } finally {
      if (!leaving) busy.value = false;
    }
  };

  return { errors, lastSaveProblems, failure, busy, save };
}

export type TemplateSaveState = ReturnType<typeof useTemplateSave>;

function stillWrong(
  errors: TemplateErrors,
  failed: { draft: Draft; issues: Record<string, Issue> } | null,
  now: Draft,
): TemplateErrors {
  if (!failed) return errors;
  const out: TemplateErrors = {};
  for (const [key, message] of Object.entries(errors) as [keyof Draft, string][]) {
    const value = now[key];
    const issue = failed.issues[key];
    const edited = value !== failed.draft[key];
    const holds = issue?.code ? issueStillApplies({ ...issue, code: issue.code }, String(value)) : false;
    if (!edited || holds) out[key] = message;
  }
  return out;
}

/**
 * Where a failed save's problems go: each beside its field (Liquid problems at their line and
 * column); a failure that names no field is shown in one banner instead.
 */
function placeSaveError(
  caught: unknown,
  draft: Draft,
): { problems: TemplateProblem[]; byField: TemplateErrors } {
  const positioned = saveProblems(caught);
  const byField: TemplateErrors = {};
  for (const [key, message] of Object.entries(fieldErrors(caught))) {
    if (key in draft) byField[key as keyof Draft] = message;
  }
  for (const problem of positioned) {
    byField[problem.part] = t("templates.problems.atLine", {
      line: problem.line,
      column: problem.column,
      message: problem.message,
    });
  }
  // A 422 (no unsubscribe link) names the part; its message says what to add.
  if (caught instanceof ApiError && caught.status === 422) {
    const part = caught.issues.map((issue) => issue.path[0]).find(isPart) ?? "html";
    byField[part] = caught.message;
  }
  return { problems: positioned, byField };
}

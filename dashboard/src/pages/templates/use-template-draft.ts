import { useSignal } from "@preact/signals";
import type { Template } from "../../api/content";
import { draftKey, useLocalDraft } from "../../hooks/use-local-draft";
import { type Draft, draftOf, isDirty, newDraft } from "./draft";

/**
 * The template form: the server's copy, the draft (kept locally at every edit, for editors) and
 * the ways it is replaced from outside (saved, restored, discarded).
 */
export function useTemplateDraft(initial: Template | null, editable: boolean) {
  const saved = useSignal<Template | null>(initial);
  /** The form unsaved: against the server's copy, or for a new template against the blank form. */
  const differs = (value: Draft) =>
    saved.value ? isDirty(value, saved.value) : JSON.stringify(value) !== JSON.stringify(newDraft());
  // Readers get no draft: one kept while they could still edit would show as if it were saved.
  const local = useLocalDraft(
    editable ? draftKey("template", initial?.id ?? "new") : null,
    initial ? draftOf(initial) : newDraft(),
    differs,
  );
  const draft = useSignal<Draft>(local.initial);
  /** Bumped when the form is replaced from outside (saved, restored, discarded): the code editors reload. */
  const revision = useSignal(0);

  /** Every edit is kept locally at once: a reload or a crash a moment later loses nothing. */
  const keepLocally = (value: Draft) => {
    // A restored draft keeps the copy it was made on, so the notice still tells of a newer one.
    const base = local.restored.value?.base ?? saved.value?.updatedAt ?? null;
    local.keep(value, differs(value), base);
  };
  const change = (patch: Partial<Draft>) => {
    draft.value = { ...draft.value, ...patch };
    keepLocally(draft.value);
  };
  /** Replaces the whole form from outside; the code editors take the new text. */
  const replace = (next: Draft) => {
    draft.value = next;
    revision.value += 1;
  };
  /** After a version is restored the server's copy is the truth; the editor starts again from it. */
  const adopt = (template: Template) => {
    saved.value = template;
    local.clear();
    replace({ ...draftOf(template), inlineCss: draft.value.inlineCss });
  };
  const discard = () => {
    local.clear();
    replace(saved.value ? draftOf(saved.value) : newDraft());
  };
  return { saved, local, draft, revision, keepLocally, change, replace, adopt, discard };
}

export type TemplateDraftState = ReturnType<typeof useTemplateDraft>;

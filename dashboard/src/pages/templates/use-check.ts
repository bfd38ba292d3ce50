import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { content, type TemplateCheck } from "../../api/content";
import { contentOf, type Draft } from "./draft";

export const DEBOUNCE_MS = 400;

export interface CheckState {
  /** The latest answer for the content as it is now (null before the first, or when not checked). */
  result: Signal<TemplateCheck | null>;
  checking: Signal<boolean>;
  error: Signal<unknown>;
}

/**
 * Checks the draft's Liquid and unsubscribe link as the author types (debounced), so problems
 * show at their line before saving. Answers to older content are dropped. `enabled` is false for
 * readers, who may not call the check.
 */
export function useTemplateCheck(draft: Draft, enabled: boolean): CheckState {
  const result = useSignal<TemplateCheck | null>(null);
  const checking = useSignal(false);
  const error = useSignal<unknown>(null);
  const generation = useRef(0);
  const body = contentOf(draft);
  const key = JSON.stringify([body, draft.kind]);

  useEffect(() => {
    const mine = ++generation.current;
    if (!enabled || body.html === "") {
      result.value = null;
      checking.value = false;
      return;
    }
    checking.value = true;
    const timer = setTimeout(async () => {
      try {
        // The subject is checked too, but an empty one is a form error, not a Liquid problem.
        const answer = await content.templates.check({
          ...body,
          subject: body.subject,
          kind: draft.kind,
        });
        if (mine !== generation.current) return;
        result.value = answer;
        error.value = null;
      } catch (caught) {
        if (mine === generation.current) error.value = caught;
      } finally {
        if (mine === generation.current) checking.value = false;
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, enabled]);

  return { result, checking, error };
}

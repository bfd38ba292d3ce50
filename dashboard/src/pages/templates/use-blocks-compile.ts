import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { content } from "../../api/content";
import type { BlockDocument } from "./blocks/model";
import type { TemplateDraftState } from "./use-template-draft";

const COMPILE_DEBOUNCE_MS = 250;

/**
 * Keeps a blocks draft's `html` compiled from its blocks (by the Worker, the one compiler), so
 * the preview, the check and test sends see what a save would store. Answers to older documents
 * are dropped; a document that does not compile leaves the last good HTML and says why.
 */
export function useBlocksCompile(form: TemplateDraftState) {
  const failure = useSignal<unknown>(null);
  const compiling = useSignal(false);
  const draft = form.draft.value;
  const blocks = draft.editor === "blocks" ? draft.blocks : null;
  // The loaded template's HTML is already the compile of its blocks.
  const compiled = useRef<BlockDocument | null>(draft.html !== "" ? blocks : null);
  const generation = useRef(0);

  useEffect(() => {
    if (!blocks || blocks === compiled.current) return;
    const mine = ++generation.current;
    compiling.value = true;
    const timer = setTimeout(async () => {
      try {
        const { html } = await content.templates.compile(blocks);
        if (mine !== generation.current) return;
        compiled.current = blocks;
        failure.value = null;
        if (form.draft.value.blocks === blocks) form.change({ html });
      } catch (caught) {
        if (mine === generation.current) failure.value = caught;
      } finally {
        if (mine === generation.current) compiling.value = false;
      }
    }, COMPILE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [blocks]);

  return { failure, compiling };
}

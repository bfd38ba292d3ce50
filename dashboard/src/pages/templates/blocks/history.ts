import { useRef } from "preact/hooks";
import type { BlockDocument } from "./model";

const COALESCE_MS = 800;

/**
 * Undo and redo over whole documents (they are immutable, so a step is one pointer). Typing into
 * one field of one block is one step, not one per key: changes with the same `key` within
 * `COALESCE_MS` of each other join the step before.
 */
export function useHistory(doc: BlockDocument, onChange: (doc: BlockDocument) => void) {
  const state = useRef({
    past: [] as BlockDocument[],
    future: [] as BlockDocument[],
    lastKey: "",
    lastAt: 0,
  });
  const latest = useRef(doc);
  latest.current = doc;
  const emit = useRef(onChange);
  emit.current = onChange;

  const api = useRef({
    commit(next: BlockDocument, key = "") {
      const s = state.current;
      const now = Date.now();
      const join = key !== "" && key === s.lastKey && now - s.lastAt < COALESCE_MS;
      if (!join) s.past = [...s.past.slice(-199), latest.current];
      s.future = [];
      s.lastKey = key;
      s.lastAt = now;
      latest.current = next;
      emit.current(next);
    },
    undo() {
      const s = state.current;
      const prev = s.past.at(-1);
      if (!prev) return;
      s.past = s.past.slice(0, -1);
      s.future = [latest.current, ...s.future];
      s.lastKey = "";
      latest.current = prev;
      emit.current(prev);
    },
    redo() {
      const s = state.current;
      const next = s.future[0];
      if (!next) return;
      s.future = s.future.slice(1);
      s.past = [...s.past, latest.current];
      s.lastKey = "";
      latest.current = next;
      emit.current(next);
    },
    canUndo: () => state.current.past.length > 0,
    canRedo: () => state.current.future.length > 0,
    /** The document as of the last change (between renders too). */
    current: () => latest.current,
  });
  return api.current;
}

export type History = ReturnType<typeof useHistory>;

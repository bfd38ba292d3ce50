/**
 * Unsaved edits kept in localStorage until they are saved, so a reload, a crash or a closed tab
 * loses nothing. One entry per user and record ("template"/"campaign"/"workflow" + id, or "new"), holding the
 * form, when it was kept and which server copy it was made on (`base`: an updatedAt), so a draft
 * restored over a copy saved since (another tab, a colleague) says so instead of hiding it.
 */
import { type Signal, useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { me } from "../session";

const PREFIX = "edgepost.draft";
/**
 * Drafts of records deleted, sent or never saved would pile up in the origin's ~5 MB; past this
 * age they are dropped when any editor opens.
 */
const KEEP_DAYS = 30;

export interface StoredDraft<T> {
  value: T;
  /** The server copy's updatedAt when the draft was made; null for a record not created yet. */
  base: string | null;
  /** ISO time the draft was last kept. */
  keptAt: string;
}

export interface LocalDraft<T> {
  /** The draft found on opening, until it is saved or discarded (the page shows a notice). */
  restored: Signal<StoredDraft<T> | null>;
  /** The value to start the form with: the restored draft's, else the server's. */
  initial: T;
  /** Keeps the form as it is now, or forgets it when it no longer differs from the server's copy. */
  keep(value: T, dirty: boolean, base: string | null): void;
  /** Forgets the draft (saved, or discarded) and hides the notice. */
  clear(): void;
}

/** The storage key of a record's draft for the signed-in user; null before anyone is signed in. */
export function draftKey(entity: "template" | "campaign" | "workflow", id: string): string | null {
  const owner = me.value?.user?.id ?? me.value?.apiKey?.id;
  return owner ? `${PREFIX}.${owner}.${entity}.${id}` : null;
}

/**
 * Reads the draft under `key` once, on mount. `fallback` is the server's form: it gives the shape
 * a stored value is checked against (an entry from an older dashboard may lack or mistype fields).
 * A stored draft that `differs` says equals the server's form is dropped, not announced.
 */
export function useLocalDraft<T extends object>(
  key: string | null,
  fallback: T,
  differs: (value: T) => boolean,
): LocalDraft<T> {
  const found = useRef<StoredDraft<T> | null | undefined>(undefined);
  if (found.current === undefined) {
    pruneOld();
    const stored = key ? read(key, fallback) : null;
    if (key && stored && !differs(stored.value)) remove(key);
    found.current = stored && differs(stored.value) ? stored : null;
  }
  const restored = useSignal(found.current);
  return {
    restored,
    initial: found.current?.value ?? fallback,
    keep(value, dirty, base) {
      if (!key) return;
      if (!dirty) {
        remove(key);
        return;
      }
      write(key, { value, base, keptAt: new Date().toISOString() });
    },
    clear() {
      if (key) remove(key);
      restored.value = null;
    },
  };
}

function read<T extends object>(key: string, fallback: T): StoredDraft<T> | null {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    if (!isRecord(parsed) || !isRecord(parsed.value)) return null;
    const base = typeof parsed.base === "string" ? parsed.base : null;
    const keptAt = typeof parsed.keptAt === "string" ? parsed.keptAt : new Date().toISOString();
    return { value: sameShape(fallback, parsed.value), base, keptAt };
  } catch {
    return null;
  }
}

// Storage can be full or switched off (a private window): the draft is then only in memory.
function write<T>(key: string, draft: StoredDraft<T>): void {
  try {
    localStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // Nothing better to do: the page keeps working, the draft just does not outlive it.
  }
}

function pruneOld(): void {
  const cutoff = Date.now() - KEEP_DAYS * 86_400_000;
  try {
    const keys = Array.from({ length: localStorage.length }, (_, index) => localStorage.key(index));
    for (const key of keys) {
      if (!key?.startsWith(`${PREFIX}.`)) continue;
      const keptAt = Date.parse(read(key, {})?.keptAt ?? "");
      if (!(keptAt >= cutoff)) remove(key);
    }
  } catch {
    // As in write.
  }
}

function remove(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // As in write.
  }
}

/** `fallback` with each field the stored value has in the same type (array for array). */
function sameShape<T extends object>(fallback: T, stored: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fallback)) {
    const candidate = stored[name];
    const fits = Array.isArray(value) ? Array.isArray(candidate) : typeof candidate === typeof value;
    out[name] = fits ? candidate : value;
  }
  // Same keys as `fallback`, each with a value of its type.
  return out as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

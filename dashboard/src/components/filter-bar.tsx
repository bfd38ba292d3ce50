import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";
import { Field } from "./field";

/** A text search applied on Enter or "Search", not on every key (each one would be a request). */
interface SearchProps {
  id: string;
  label: string;
  placeholder: string;
  error?: string | undefined;
  /**
   * The search in effect, for filters kept in the address: when back/forward or a link changes it,
   * the box shows it. Left out, the box keeps what was typed.
   */
  applied?: string | undefined;
  /** The box's text, trimmed; undefined when it is empty. */
  onSearch: (q: string | undefined) => void;
  /** "Clear" empties the box; the owner drops every filter. */
  onClear: () => void;
  /**
   * Search as you type: `onSearch` also runs once typing pauses this long (ms). The box is not
   * reset to `applied` when that is the search it just made, so a slow round trip never eats keys.
   */
  debounceMs?: number;
}

interface FilterBarProps {
  /** The form's accessible name: "Template filters". */
  label: string;
  /** A modifier beside "card filters": `filters--short` for a search and one select. */
  class?: string;
  /** Without one the bar is selects only, and has no Search and Clear buttons. */
  search?: SearchProps;
  /** The selects, each applied as soon as it changes. */
  children: ComponentChildren;
}

/** The filters above a server-paged table: an optional search box, the owner's selects, Search and Clear. */
export function FilterBar({ label, search, children, ...props }: FilterBarProps) {
  const q = useSignal(search?.applied ?? "");
  const typed = useTyping(search);
  useEffect(() => {
    if (typed.sent.current !== undefined && (search?.applied ?? "") === typed.sent.current) return;
    q.value = search?.applied ?? "";
  }, [search?.applied]);

  return (
    <form
      // i18n-ignore: class names
      class={props.class ? `card filters ${props.class}` : "card filters"}
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        typed.cancel();
        search?.onSearch(q.value.trim() || undefined);
      }}
    >
      {search && (
        <Field
          id={search.id}
          label={search.label}
          value={q.value}
          onInput={(value) => {
            q.value = value;
            typed.onType(value);
          }}
          placeholder={search.placeholder}
          error={search.error}
        />
      )}
      {children}
      {search && (
        <div class="filters__actions">
          <button type="submit" class="button button--primary">
            {t("common.search")}
          </button>
          <button
            type="button"
            class="button"
            onClick={() => {
              q.value = "";
              typed.cancel();
              search.onClear();
            }}
          >
            {t("components.filters.clear")}
          </button>
        </div>
      )}
    </form>
  );
}

/** The debounce of search as you type, and the last search it made (undefined: none yet). */
function useTyping(search: SearchProps | undefined) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const sent = useRef<string | undefined>(undefined);
  // The owner's latest callbacks: a select changed during the pause must not be undone.
  const latest = useRef(search);
  latest.current = search;
  useEffect(() => () => clearTimeout(timer.current), []);
  const cancel = () => clearTimeout(timer.current);
  const onType = (value: string) => {
    if (!search?.debounceMs) return;
    cancel();
    timer.current = setTimeout(() => {
      sent.current = value.trim();
      latest.current?.onSearch(value.trim() || undefined);
    }, search.debounceMs);
  };
  return { sent, onType, cancel };
}

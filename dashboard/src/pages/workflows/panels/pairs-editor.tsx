import { useSignal } from "@preact/signals";

export interface Pair {
  key: string;
  value: string;
}

interface PairsEditorProps {
  id: string;
  legend: string;
  keyLabel: string;
  valueLabel: string;
  valuePlaceholder?: string;
  /** The button that adds a row ("+ Add property"). */
  addLabel: string;
  /** The accessible name of row `n`'s remove button. */
  removeLabel: (n: number) => string;
  pairs: Pair[];
  onChange: (pairs: Pair[]) => void;
  hint?: string;
}

/**
 * Rows of key and value (event properties to match). The rows live here, so a row with an empty
 * key (half typed) is kept on screen; the document gets the rows that have a key.
 */
export function PairsEditor(props: PairsEditorProps) {
  const rows = useSignal<Pair[]>(props.pairs);
  const set = (next: Pair[]) => {
    rows.value = next;
    props.onChange(next.filter((row) => row.key.trim() !== ""));
  };
  const edit = (index: number, patch: Partial<Pair>) =>
    set(rows.value.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  return (
    <fieldset class="field checks wf-pairs">
      <legend>{props.legend}</legend>
      {rows.value.map((row, index) => (
        <div class="wf-pairs__row" key={index}>
          <input
            aria-label={`${props.keyLabel} ${index + 1}`}
            value={row.key}
            placeholder={props.keyLabel}
            onInput={(event) => edit(index, { key: event.currentTarget.value })}
          />
          <input
            aria-label={`${props.valueLabel} ${index + 1}`}
            value={row.value}
            placeholder={props.valuePlaceholder}
            onInput={(event) => edit(index, { value: event.currentTarget.value })}
          />
          <button
            type="button"
            class="icon-button"
            aria-label={props.removeLabel(index + 1)}
            onClick={() => set(rows.value.filter((_, at) => at !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        class="button button--small"
        onClick={() => set([...rows.value, { key: "", value: "" }])}
      >
        {props.addLabel}
      </button>
      {props.hint && <p class="field__hint">{props.hint}</p>}
    </fieldset>
  );
}

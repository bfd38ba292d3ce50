import type { ComponentChildren } from "preact";

interface CheckboxGroupProps {
  /** Prefix of the checkbox ids, unique on the page. */
  id: string;
  legend: string;
  options: readonly { value: string; label: ComponentChildren }[];
  selected: ReadonlySet<string>;
  onChange: (selected: ReadonlySet<string>) => void;
  /** Shown when there is nothing to choose from. */
  empty?: string;
  error?: string | undefined;
  disabled?: boolean;
}

/** A labelled set of checkboxes (lists to join, say) with the server's message for it. */
export function CheckboxGroup(props: CheckboxGroupProps) {
  const { id, legend, options, selected, error } = props;
  const toggle = (value: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(value);
    else next.delete(value);
    props.onChange(next);
  };
  return (
    <fieldset
      class={error ? "field checks field--invalid" : "field checks"}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {options.length === 0 && props.empty && <p class="field__hint">{props.empty}</p>}
      {options.map((option) => (
        <label key={option.value} class="check">
          <input
            type="checkbox"
            id={`${id}-${option.value}`}
            checked={selected.has(option.value)}
            disabled={props.disabled}
            onChange={(event) => toggle(option.value, event.currentTarget.checked)}
          />
          <span>{option.label}</span>
        </label>
      ))}
      {error && (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

interface CheckboxProps {
  id: string;
  label: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  disabled?: boolean;
}

/** One labelled checkbox with an optional hint. */
export function Checkbox({ id, label, checked, onChange, hint, disabled }: CheckboxProps) {
  return (
    <div class="field">
      <label class="check" for={id}>
        <input
          type="checkbox"
          id={id}
          checked={checked}
          disabled={disabled}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        <span>{label}</span>
      </label>
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

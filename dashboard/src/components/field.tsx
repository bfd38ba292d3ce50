import type { JSX, PartialInputHTMLAttributes, TargetedEvent } from "preact";

export interface Option {
  value: string;
  label: string;
}

type InputType = "text" | "email" | "password" | "date" | "number";
type InputProps = Omit<PartialInputHTMLAttributes<HTMLInputElement>, "type" | "role">;

/** One renderer per input type: Preact's JSX types tie each `type` literal to its ARIA roles. */
const inputs: Record<InputType, (props: InputProps) => JSX.Element> = {
  text: (props) => <input {...props} type="text" />,
  email: (props) => <input {...props} type="email" />,
  password: (props) => <input {...props} type="password" />,
  date: (props) => <input {...props} type="date" />,
  number: (props) => <input {...props} type="number" step="any" />,
};

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** The server's validation message for this field, shown beside it. */
  error?: string | undefined;
  hint?: string;
  type?: InputType;
  /** Renders a select instead of an input. */
  options?: readonly Option[];
  /** Renders a text area instead of an input. */
  multiline?: boolean;
  required?: boolean;
  disabled?: boolean;
  autoComplete?: string;
  placeholder?: string;
}

/** A labelled input (or select) with its hint and the server's message for it. */
export function Field(props: FieldProps) {
  const { id, label, value, error, hint, options, type = "text" } = props;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const onInput = (event: TargetedEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    props.onInput(event.currentTarget.value);
  const common = {
    id,
    name: id,
    value,
    required: props.required,
    disabled: props.disabled,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
  };

  return (
    <div class={error ? "field field--invalid" : "field"}>
      <label for={id}>{label}</label>
      {options ? (
        <select {...common} onChange={onInput}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : props.multiline ? (
        <textarea {...common} placeholder={props.placeholder} onInput={onInput} />
      ) : (
        inputs[type]({ ...common, autoComplete: props.autoComplete, placeholder: props.placeholder, onInput })
      )}
      {hint && (
        <p class="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

import type { Field } from "../../api/audience";

interface SignupFieldsProps {
  fields: Field[];
  chosen: { key: string; required: boolean }[];
  onChange: (chosen: { key: string; required: boolean }[]) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** The organisation's custom fields, each to ask for or not, and required or not. */
export function SignupFields({ fields, chosen, onChange, error, disabled }: SignupFieldsProps) {
  const find = (key: string) => chosen.find((c) => c.key === key);
  const ask = (key: string, on: boolean) =>
    onChange(on ? [...chosen, { key, required: false }] : chosen.filter((c) => c.key !== key));
  const require = (key: string, on: boolean) =>
    onChange(chosen.map((c) => (c.key === key ? { ...c, required: on } : c)));
  return (
    <fieldset class={error ? "field signup-fields field--invalid" : "field signup-fields"}>
      <legend>Custom fields</legend>
      {fields.length === 0 && (
        <p class="field__hint">
          No custom fields yet: define some under <a href="/fields">Fields</a> to ask for them.
        </p>
      )}
      {fields.map((field) => {
        const picked = find(field.key);
        return (
          <div class="signup-fields__row" key={field.key}>
            <label class="check">
              <input
                type="checkbox"
                checked={picked !== undefined}
                disabled={disabled}
                onChange={(e) => ask(field.key, e.currentTarget.checked)}
              />
              <span>
                Ask for {field.label} <span class="muted">({field.type})</span>
              </span>
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={picked?.required ?? false}
                disabled={disabled || picked === undefined}
                onChange={(e) => require(field.key, e.currentTarget.checked)}
              />
              <span>{field.label} is required</span>
            </label>
          </div>
        );
      })}
      {error && <p class="field__error">{error}</p>}
    </fieldset>
  );
}

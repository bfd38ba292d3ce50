import type { Field } from "../../api/audience";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";

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
      <legend>{t("lists.signup.customFields")}</legend>
      {fields.length === 0 && (
        <p class="field__hint">
          <Trans k="lists.signup.noFields" parts={[(text) => <a href="/fields">{text}</a>]} />
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
                {t("lists.signup.askFor", { label: field.label })}{" "}
                <span class="muted">({t(`lists.signup.types.${field.type}`)})</span>
              </span>
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={picked?.required ?? false}
                disabled={disabled || picked === undefined}
                onChange={(e) => require(field.key, e.currentTarget.checked)}
              />
              <span>{t("lists.signup.isRequired", { label: field.label })}</span>
            </label>
          </div>
        );
      })}
      {error && <p class="field__error">{error}</p>}
    </fieldset>
  );
}

import { useSignal } from "@preact/signals";
import { t } from "../../../i18n";
import { splitDuration, UNITS, type Unit } from "../summary";

interface DurationFieldProps {
  id: string;
  label: string;
  seconds: number;
  onChange: (seconds: number) => void;
  disabled?: boolean;
  hint?: string;
}

/**
 * A duration as an amount and a unit. The amount is typed freely (kept as text here, so "1" on
 * the way to "12", or an empty box, is never overwritten); the document gets whole seconds
 * whenever the text is a positive number.
 */
export function DurationField({ id, label, seconds, onChange, disabled, hint }: DurationFieldProps) {
  const start = splitDuration(seconds);
  const amount = useSignal(String(start.amount));
  const unit = useSignal<Unit>(start.unit);
  const invalid = !(Number(amount.value) > 0);
  const write = (text: string, to: Unit) => {
    const value = Number(text);
    const size = UNITS.find((entry) => entry.unit === to)?.seconds ?? 1;
    if (value > 0 && Number.isFinite(value)) onChange(Math.max(1, Math.round(value * size)));
  };
  return (
    <fieldset class={invalid ? "field wf-duration field--invalid" : "field wf-duration"} disabled={disabled}>
      <legend>{label}</legend>
      <div class="wf-duration__row">
        <input
          id={id}
          type="number"
          min="0"
          step="any"
          aria-label={t("workflows.duration.amountOf", { label })}
          value={amount.value}
          onInput={(event) => {
            amount.value = event.currentTarget.value;
            write(amount.value, unit.value);
          }}
        />
        <select
          aria-label={t("workflows.duration.unitOf", { label })}
          value={unit.value}
          onChange={(event) => {
            const next = UNITS.find((entry) => entry.unit === event.currentTarget.value)?.unit ?? "days";
            unit.value = next;
            write(amount.value, next);
          }}
        >
          {UNITS.map((entry) => (
            <option key={entry.unit} value={entry.unit}>
              {t(`workflows.duration.units.${entry.unit}`)}
            </option>
          ))}
        </select>
      </div>
      {invalid && <p class="field__error">{t("workflows.duration.invalid")}</p>}
      {hint && <p class="field__hint">{hint}</p>}
    </fieldset>
  );
}

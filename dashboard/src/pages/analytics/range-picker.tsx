import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { Field } from "../../components/field";
import { t } from "../../i18n";
import { checkCustom, isoDate, PRESETS, type RangeChoice } from "./range";

interface RangePickerProps {
  choice: RangeChoice;
  onChange: (choice: RangeChoice) => void;
  /** The server's messages about the range, by field (`from`, `to`). */
  errors?: Record<string, string>;
}

const DAY = 86_400_000;

/** Last 7, 30 or 90 days in one click, or custom from–to dates (both days included). */
export function RangePicker({ choice, onChange, errors = {} }: RangePickerProps) {
  const custom = useSignal(choice.kind === "custom");
  const from = useSignal(choice.kind === "custom" ? choice.from : isoDate(new Date(Date.now() - 30 * DAY)));
  const to = useSignal(choice.kind === "custom" ? choice.to : isoDate(new Date()));
  const problems = useSignal<{ from?: string; to?: string }>({});

  const apply = (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    problems.value = checkCustom(from.value, to.value);
    if (Object.keys(problems.value).length === 0)
      onChange({ kind: "custom", from: from.value, to: to.value });
  };

  return (
    <div class="range-picker card">
      <fieldset class="range-picker__presets">
        <legend class="visually-hidden">{t("analytics.range.label")}</legend>
        {PRESETS.map((days) => (
          <button
            key={days}
            type="button"
            class="button button--small"
            aria-pressed={!custom.value && choice.kind === "preset" && choice.days === days}
            onClick={() => {
              custom.value = false;
              problems.value = {};
              onChange({ kind: "preset", days });
            }}
          >
            {t("analytics.range.last", { count: days })}
          </button>
        ))}
        <button
          type="button"
          class="button button--small"
          aria-pressed={custom.value}
          aria-expanded={custom.value}
          aria-controls="range-custom"
          onClick={() => (custom.value = !custom.value)}
        >
          {t("analytics.range.custom")}
        </button>
      </fieldset>
      {custom.value && (
        <form
          id="range-custom"
          class="range-picker__custom"
          aria-label={t("analytics.range.customLabel")}
          onSubmit={apply}
          noValidate
        >
          <Field
            id="range-from"
            label={t("analytics.range.from")}
            type="date"
            value={from.value}
            onInput={(value) => (from.value = value)}
            error={problems.value.from ?? errors.from}
            required
          />
          <Field
            id="range-to"
            label={t("analytics.range.to")}
            type="date"
            value={to.value}
            onInput={(value) => (to.value = value)}
            error={problems.value.to ?? errors.to}
            hint={t("analytics.range.bothIncluded")}
            required
          />
          <button type="submit" class="button button--primary">
            {t("analytics.range.apply")}
          </button>
        </form>
      )}
    </div>
  );
}

import { useSignal } from "@preact/signals";
import { useMemo } from "preact/hooks";
import { t } from "../../../i18n";

/** A time of day "HH:MM" (the browser's time input always gives that form). */
export function TimeField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (time: string) => void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="time"
        value={props.value}
        onInput={(event) => {
          if (event.currentTarget.value) props.onChange(event.currentTarget.value);
        }}
      />
    </div>
  );
}

/**
 * Days before (negative) or after a date, -365 to 365. Kept as text while typing ("-" on the way
 * to "-3"); the document gets whole numbers only.
 */
export function DayOffset(props: {
  id: string;
  value: number;
  onChange: (days: number) => void;
  label?: string;
}) {
  const text = useSignal(String(props.value));
  const days = Number(text.value);
  const valid = /^-?\d+$/.test(text.value.trim()) && Math.abs(days) <= 365;
  return (
    <div class={valid ? "field" : "field field--invalid"}>
      <label for={props.id}>{props.label ?? t("workflows.offset.label")}</label>
      <input
        id={props.id}
        type="number"
        min="-365"
        max="365"
        step="1"
        value={text.value}
        onInput={(event) => {
          text.value = event.currentTarget.value;
          const next = Number(text.value);
          if (/^-?\d+$/.test(text.value.trim()) && Math.abs(next) <= 365) props.onChange(next);
        }}
      />
      {!valid && <p class="field__error">{t("workflows.offset.invalid")}</p>}
    </div>
  );
}

/** "The subscriber's time zone" (their `timezone` field, else the organisation's) or a fixed IANA zone. */
export function ZoneSelect(props: {
  id: string;
  value: string | undefined;
  onChange: (zone: string | undefined) => void;
}) {
  const zones = useMemo(
    () => (typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"]),
    [],
  );
  const value = props.value === undefined || props.value === "subscriber" ? "" : props.value;
  return (
    <div class="field">
      <label for={props.id}>{t("common.timeZone")}</label>
      <select
        id={props.id}
        value={value}
        onChange={(event) => props.onChange(event.currentTarget.value || undefined)}
      >
        <option value="">{t("workflows.zone.subscriber")}</option>
        {value && !zones.includes(value) && <option value={value}>{value}</option>}
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone.replaceAll("_", " ")}
          </option>
        ))}
      </select>
    </div>
  );
}

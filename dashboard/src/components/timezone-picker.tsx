import { useMemo } from "preact/hooks";

interface TimezonePickerProps {
  id: string;
  label: string;
  value: string;
  onChange: (zone: string) => void;
  error?: string | undefined;
  hint?: string;
  disabled?: boolean;
}

/** Every IANA zone the browser knows, plus the browser's own (it may be an alias such as "UTC"). */
function zones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const extra = [own, current, "UTC"].filter((zone) => zone && !known.includes(zone));
  return [...new Set([...extra, ...known])].sort((a, b) => a.localeCompare(b));
}

/** A labelled select of IANA time zones, grouped by region ("Europe", "America", …). */
export function TimezonePicker({ id, label, value, onChange, error, hint, disabled }: TimezonePickerProps) {
  const groups = useMemo(() => {
    const byRegion = new Map<string, string[]>();
    for (const zone of zones(value)) {
      const region = zone.includes("/") ? (zone.split("/")[0] ?? "Other") : "Other";
      byRegion.set(region, [...(byRegion.get(region) ?? []), zone]);
    }
    return [...byRegion.entries()];
  }, [value]);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div class={error ? "field field--invalid" : "field"}>
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {groups.map(([region, names]) => (
          <optgroup key={region} label={region}>
            {names.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll("_", " ")}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
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

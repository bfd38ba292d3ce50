import { useSignal } from "@preact/signals";
import { useMemo } from "preact/hooks";
import { dateTimeFormat } from "../format";
import { locale, t } from "../i18n";

interface TimezonePickerProps {
  id: string;
  label: string;
  value: string;
  onChange: (zone: string) => void;
  error?: string | undefined;
  hint?: string;
  disabled?: boolean;
}

/**
 * Names the browser's ICU still lists under their old spelling (Chromium's
 * `Intl.supportedValuesOf("timeZone")` gives Asia/Calcutta), mapped to the current IANA ones.
 * The old names stay accepted: a saved legacy value shows as its current name, and searching
 * for one finds it.
 */
export const LEGACY_ZONES: Record<string, string> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Coral_Harbour": "America/Atikokan",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Mendoza": "America/Argentina/Mendoza",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Dacca": "Asia/Dhaka",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Thimbu": "Asia/Thimphu",
  "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Australia/Currie": "Australia/Hobart",
  "Europe/Kiev": "Europe/Kyiv",
  "Europe/Uzhgorod": "Europe/Kyiv",
  "Europe/Zaporozhye": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

/** The current IANA name of a zone (itself when it is not a legacy alias). */
export const canonicalZone = (zone: string): string => LEGACY_ZONES[zone] ?? zone;

interface Zone {
  name: string;
  /** What a search matches: the name, its old names, and the zone's long name ("India Standard Time"). */
  haystack: string;
}

/**
 * Every zone the browser knows under its current name, plus the browser's own and the value; each
 * found by its long name in English and in the dashboard's language ("Mitteleuropäische Zeit").
 */
function zones(current: string): Zone[] {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const names = new Set([own, current, "UTC", ...known].filter(Boolean).map(canonicalZone));
  const oldNames = new Map<string, string[]>();
  for (const [old, now] of Object.entries(LEGACY_ZONES))
    oldNames.set(now, [...(oldNames.get(now) ?? []), old]);
  return [...names]
    .sort((a, b) => a.localeCompare(b))
    .map((name) => ({
      name,
      haystack: [name, ...(oldNames.get(name) ?? []), longName(name), localName(name)]
        .join(" ")
        .replaceAll("_", " ")
        .toLowerCase(),
    }));
}

/** "India Standard Time", "Central European Time": how people call a zone, for searching. */
function longName(zone: string): string {
  try {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      timeZoneName: "longGeneric",
    }).formatToParts();
    return parts.find((p) => p.type === "timeZoneName")?.value ?? "";
  } catch {
    return "";
  }
}

/** The zone's long name in the dashboard's language. */
function localName(zone: string): string {
  try {
    const parts = dateTimeFormat({ timeZone: zone, timeZoneName: "longGeneric" }).formatToParts();
    return parts.find((p) => p.type === "timeZoneName")?.value ?? "";
  } catch {
    return "";
  }
}

/** The zones matching every word of the search ("kolk", "india", "new york"). */
function matching(all: Zone[], search: string): Zone[] {
  const words = search.toLowerCase().replaceAll("_", " ").split(/\s+/).filter(Boolean);
  return words.length === 0 ? all : all.filter((z) => words.every((w) => z.haystack.includes(w)));
}

/**
 * A searchable picker of IANA time zones: a search box narrows the select below it (by name, old
 * name or long name such as "India Standard Time") and picks the first match when the chosen zone
 * is not among them. Options are grouped by region ("Europe", "America", …).
 */
export function TimezonePicker({ id, label, value, onChange, error, hint, disabled }: TimezonePickerProps) {
  const search = useSignal("");
  const all = useMemo(() => zones(value), [value, locale.value]);
  const shown = matching(all, search.value);
  const selected = canonicalZone(value);
  const groups = groupByRegion(
    shown.some((z) => z.name === selected) ? shown : [...shown, { name: selected, haystack: "" }],
  );
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;

  const onSearch = (text: string) => {
    search.value = text;
    const found = matching(all, text);
    const first = found[0];
    if (first && !found.some((z) => z.name === selected)) onChange(first.name);
  };

  return (
    <div class={error ? "field field--invalid timezone-picker" : "field timezone-picker"}>
      <label for={id}>{label}</label>
      <input
        id={`${id}-search`}
        type="search"
        class="timezone-picker__search"
        aria-label={t("components.timezone.search")}
        aria-controls={id}
        placeholder={t("components.timezone.placeholder")}
        value={search.value}
        disabled={disabled}
        onInput={(event) => onSearch(event.currentTarget.value)}
        onKeyDown={(event) => {
          // Enter picks (already done while typing); it must not submit the form around it.
          if (event.key === "Enter") event.preventDefault();
        }}
      />
      <select
        id={id}
        value={selected}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {groups.map(([region, names]) => (
          <optgroup key={region} label={region === OTHER ? t("components.timezone.other") : region}>
            {names.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll("_", " ")}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {search.value && shown.length === 0 && (
        <p class="field__hint" role="status">
          {t("components.timezone.noMatch", { search: search.value })}
        </p>
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

/** The group of zones outside any region ("UTC"). */
const OTHER = "";

function groupByRegion(list: Zone[]): [string, string[]][] {
  const byRegion = new Map<string, string[]>();
  for (const { name } of list) {
    const region = name.includes("/") ? (name.split("/")[0] ?? OTHER) : OTHER;
    byRegion.set(region, [...(byRegion.get(region) ?? []), name]);
  }
  return [...byRegion.entries()];
}

/// <reference types="vite/client" />
/**
 * Where the catalogues come from: `locales/<lang>.json`, merged with the per-area fragments
 * (`fragments/<area>/<lang>.json`) while areas are being translated. English is eager (it is the
 * fallback); the other languages are separate chunks loaded on demand.
 */
import type { Locale } from "../../../workers/contract/locales";

type Messages = { [key: string]: string | Messages };

const eagerEnglish = import.meta.glob<Messages>(["./locales/en.json", "./fragments/*/en.json"], {
  eager: true,
  import: "default",
});
const lazy = import.meta.glob<Messages>(
  ["./locales/*.json", "./fragments/*/*.json", "!./locales/en.json", "!./fragments/*/en.json"],
  { import: "default" },
);

/** Deep merge: areas own distinct top-level keys, so nothing is overwritten in practice. */
export function merge(into: Messages, from: Messages): Messages {
  for (const [key, value] of Object.entries(from)) {
    const current = into[key];
    into[key] =
      typeof value === "object" && typeof current === "object" ? merge({ ...current }, value) : value;
  }
  return into;
}

export function english(): Messages {
  return Object.values(eagerEnglish).reduce<Messages>((all, part) => merge(all, part), {});
}

export async function catalogue(lang: Locale): Promise<Messages> {
  if (lang === "en") return english();
  const files = Object.entries(lazy).filter(([path]) => path.endsWith(`/${lang}.json`));
  const parts = await Promise.all(files.map(([, load]) => load()));
  return parts.reduce<Messages>((all, part) => merge(all, part), {});
}

/**
 * The dashboard's words and formats. Every visible string is a key in the catalogues
 * (`locales/<lang>.json`, one per language; English is in the bundle and is the fallback, the
 * others load when chosen). `t()` reads the `locale` signal, so a component that calls it renders
 * again when the language changes. Numbers, dates and relative times go through `Intl` in the
 * chosen language (see `format.ts`); plurals are i18next's `_one`/`_other` keys with `count`.
 *
 * `tests/unit/i18n.test.ts` fails when a visible string in `dashboard/src` has no key, a key used
 * in code is missing from English, or a language misses a key or a placeholder.
 */
import { signal } from "@preact/signals";
import i18next, { type TOptions } from "i18next";
import { isLocale, type Locale, matchLocale } from "../../../workers/contract/locales";
import { catalogue, englishCatalogue } from "./catalogues";

export type { Locale } from "../../../workers/contract/locales";
export { LOCALE_NAMES, LOCALES } from "../../../workers/contract/locales";

/** The language the dashboard is showing now. */
export const locale = signal<Locale>("en");

const i18n = i18next.createInstance();
void i18n.init({
  lng: "en",
  fallbackLng: "en",
  resources: { en: { translation: englishCatalogue() } },
  initAsync: false,
  // Preact escapes what it renders; escaping here too would show `&amp;`.
  interpolation: { escapeValue: false },
  returnNull: false,
  returnEmptyString: false,
});

/** The words for `key` in the current language (English when a language lacks it). */
export function t(key: string, options: TOptions = {}): string {
  void locale.value; // subscribes the rendering component to language changes
  return i18n.t(key, options as TOptions & { defaultValue?: string }) as string;
}

/** Whether `key` has words (for keys built from data, such as a status or a role). */
export function hasKey(key: string): boolean {
  return i18n.exists(key);
}

/** The language the browser prefers, among ours; English when none of ours is listed. */
export function detectLocale(): Locale {
  const tags = typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]);
  return matchLocale(tags.join(",")) ?? "en";
}

let pending: Locale | null = null;

/** Load `next`'s catalogue (once) and switch to it; the page's `lang` follows. */
export async function setLocale(next: Locale): Promise<void> {
  pending = next;
  if (!i18n.hasResourceBundle(next, "translation")) {
    i18n.addResourceBundle(next, "translation", await catalogue(next), true, true);
  }
  // A later choice made while this catalogue loaded wins.
  if (pending !== next) return;
  await i18n.changeLanguage(next);
  // The page's language follows. Pure modules that use `t` also load in Node tests (no document).
  const page = (globalThis as { document?: { documentElement: { lang: string } } }).document;
  if (page) page.documentElement.lang = next;
  locale.value = next;
}

/** The user's saved language, else the browser's. */
export function preferredLocale(saved: string | null | undefined): Locale {
  return isLocale(saved) ? saved : detectLocale();
}

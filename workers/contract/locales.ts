import { z } from "@hono/zod-openapi";
import { LIST_LANGUAGES } from "../../schema/languages";

/**
 * The languages the dashboard, the public pages and system mail speak. A list's language and a
 * user's locale are both one of these.
 */
export const LOCALES = LIST_LANGUAGES;
export type Locale = (typeof LOCALES)[number];

export const LocaleSchema = z.enum(LOCALES).openapi("Locale", {
  description: "A language Edgepost speaks: `en`, `de`, `fr`, `es`, `pt-BR` or `ja`.",
  example: "de",
});

/** Each language's name in itself, for pickers. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  de: "Deutsch",
  fr: "Français",
  es: "Español",
  "pt-BR": "Português (Brasil)",
  ja: "日本語",
};

const BY_PRIMARY: Record<string, Locale> = { en: "en", de: "de", fr: "fr", es: "es", pt: "pt-BR", ja: "ja" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best of our languages for a ranked list of language tags (an `Accept-Language` header, or
 * `navigator.languages` joined with commas): by q-value, an exact tag first, then its primary
 * subtag (`pt-PT` gets `pt-BR`, `de-AT` gets `de`); null when none matches.
 */
export function matchLocale(acceptLanguage: string | null | undefined): Locale | null {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .slice(0, 20)
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((t) => t.tag !== "" && t.tag !== "*" && Number.isFinite(t.q) && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const exact = LOCALES.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    const primary = BY_PRIMARY[tag.split("-")[0] ?? ""];
    if (primary) return primary;
  }
  return null;
}

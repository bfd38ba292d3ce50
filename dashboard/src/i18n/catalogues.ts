/// <reference types="vite/client" />
/**
 * Where the catalogues come from: one file per language, `locales/<lang>.json`. English is in the
 * main bundle (it is the fallback for a key a language lacks at run time); each other language is
 * a chunk of its own, loaded when chosen.
 */
import type { Locale } from "../../../workers/contract/locales";
import english from "./locales/en.json";

type Messages = { [key: string]: string | Messages };

const others = import.meta.glob<Messages>(["./locales/*.json", "!./locales/en.json"], { import: "default" });

export function englishCatalogue(): Messages {
  return english as Messages;
}

export async function catalogue(lang: Locale): Promise<Messages> {
  if (lang === "en") return englishCatalogue();
  const load = others[`./locales/${lang}.json`];
  if (!load) throw new Error(`No catalogue for ${lang}`);
  return load();
}

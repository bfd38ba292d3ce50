import type { LIST_LANGUAGES } from "../../../schema/languages";
import { html, Markup } from "../html";
import { de } from "./de";
import { type Catalogue, en, type MessageKey } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { ja } from "./ja";
import { ptBR } from "./pt-BR";

/**
 * The Worker's own words for subscribers and users: the public pages and system mail, one small
 * catalogue per language (the dashboard has its own). `{name}` in a message is a value put in by
 * `t` (as text) or `tm` (as markup, the rest escaped).
 */

export type Lang = (typeof LIST_LANGUAGES)[number];
export type { MessageKey };

export const CATALOGUES: Record<Lang, Catalogue> = { en, de, fr, es, "pt-BR": ptBR, ja };

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

const message = (lang: string, key: MessageKey): string =>
  (CATALOGUES as Record<string, Catalogue | undefined>)[lang]?.[key] ?? en[key] ?? key;

/** A message as plain text (mail subjects and text parts). */
export function t(lang: string, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return message(lang, key).replace(PLACEHOLDER, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}

/** A message as HTML: its words escaped, each value escaped too unless it is markup. */
export function tm(
  lang: string,
  key: MessageKey,
  vars: Record<string, string | number | Markup> = {},
): Markup {
  const text = message(lang, key);
  let out = "";
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    out += html`${text.slice(last, m.index)}`.value;
    const name = m[1] ?? "";
    out += name in vars ? html`${vars[name]}`.value : html`${m[0]}`.value;
    last = (m.index ?? 0) + m[0].length;
  }
  return new Markup(out + html`${text.slice(last)}`.value);
}

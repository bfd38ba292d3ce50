import { type Brand, DEFAULT_BRAND } from "../contract/settings";
import { html, Markup } from "../lib/html";
import { t, tm } from "../lib/i18n";
import { brandStyle, pageCsp, safeBrand } from "./theme";

/**
 * Server-rendered pages for subscribers: no scripts, one small inline style sheet in the brand's
 * theme (allowed by the CSP these responses carry), every interpolated value escaped by the `html`
 * template.
 */

/** The look and language of one page: the organisation's brand and the page's `<html lang>`. */
export interface PageTheme {
  brand: Brand;
  lang: string;
  /** The organisation's name: the logo's alternative text. */
  organizationName: string;
}

/** The theme of a page before the settings are read (and for tests): default brand, English. */
export const PLAIN_THEME: PageTheme = { brand: DEFAULT_BRAND, lang: "en", organizationName: "" };

/** The response headers of a page in this theme (its CSP allows the logo's origin only). */
export function pageHeaders(theme: PageTheme): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": pageCsp(theme.brand),
    "cache-control": "no-store",
    "x-robots-tag": "noindex",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "content-language": theme.lang,
  };
}

/** A whole page around `body`, in the brand's colours, font, button style and logo. */
export function page(theme: PageTheme, title: string, body: Markup): string {
  const brand = safeBrand(theme.brand);
  const logo = brand.logoUrl
    ? html`<img class="logo" src="${brand.logoUrl}" alt="${theme.organizationName}">`
    : "";
  return html`<!doctype html>
<html lang="${theme.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${new Markup(brandStyle(brand))}</style>
</head>
<body><main>
${logo}
<h1>${title}</h1>
${body}
</main></body>
</html>
`.value;
}

export const messagePage = (theme: PageTheme, title: string, ...lines: string[]) =>
  page(theme, title, html`${lines.map((l) => html`<p>${l}</p>`)}`);

export const notFoundPage = (theme: PageTheme) =>
  messagePage(theme, t(theme.lang, "page.notFound.title"), t(theme.lang, "page.notFound.body"));

/** After the form: "check your inbox" for double opt-in; a signup form's own message when it has one. */
export function thanksPage(theme: PageTheme, confirmationRequired: boolean, message?: string | null): string {
  const own = message ? [message] : [];
  const l = theme.lang;
  return confirmationRequired
    ? messagePage(
        theme,
        t(l, "page.thanks.checkTitle"),
        t(l, "page.thanks.checkSent"),
        t(l, "page.thanks.checkSpam"),
        ...own,
      )
    : messagePage(
        theme,
        t(l, "page.thanks.title"),
        message || t(l, "page.thanks.onList"),
        // Said to everyone alike, so the page never tells whether the address had left before.
        t(l, "page.thanks.comeback"),
      );
}

export const confirmedPage = (theme: PageTheme, lists: string[]) =>
  page(
    theme,
    t(theme.lang, "page.confirmed.title"),
    html`<p>${t(theme.lang, "page.confirmed.body")}</p><ul>${lists.map((l) => html`<li>${l}</li>`)}</ul>`,
  );

export function unsubscribePage(
  theme: PageTheme,
  opts: {
    action: string;
    email: string;
    listName: string | null;
    preferencesUrl: string;
  },
): string {
  const l = theme.lang;
  const email = html`<strong>${opts.email}</strong>`;
  const question = opts.listName
    ? tm(l, "page.unsubscribe.fromList", { email, list: html`<strong>${opts.listName}</strong>` })
    : tm(l, "page.unsubscribe.fromAll", { email });
  const choose = html`<a href="${opts.preferencesUrl}">${t(l, "page.unsubscribe.chooseLists")}</a>`;
  return page(
    theme,
    t(l, "page.unsubscribe.title"),
    html`<p>${question}</p>
<form method="post" action="${opts.action}">
<button type="submit">${t(l, "page.unsubscribe.button")}</button>
</form>
<p class="muted">${tm(l, "page.unsubscribe.or", { link: choose })}</p>`,
  );
}

export function unsubscribedPage(
  theme: PageTheme,
  listName: string | null,
  preferencesUrl: string | null,
): string {
  const l = theme.lang;
  return page(
    theme,
    t(l, "page.unsubscribed.title"),
    html`<p>${listName ? t(l, "page.unsubscribed.fromList", { list: listName }) : t(l, "page.unsubscribed.fromAll")}</p>
${preferencesUrl ? html`<p class="muted"><a href="${preferencesUrl}">${t(l, "page.unsubscribed.manage")}</a></p>` : ""}`,
  );
}

export function preferencesPage(
  theme: PageTheme,
  opts: {
    action: string;
    email: string;
    lists: { id: string; name: string; description: string | null; subscribed: boolean }[];
    saved: boolean;
  },
): string {
  const l = theme.lang;
  const items = opts.lists.map(
    (l) => html`<label><input type="checkbox" name="l" value="${l.id}"${l.subscribed ? html` checked` : ""}>
${l.name}${l.description ? html` <span class="muted">— ${l.description}</span>` : ""}</label>`,
  );
  return page(
    theme,
    t(l, "page.preferences.title"),
    html`${opts.saved ? html`<p role="status"><strong>${t(l, "page.preferences.saved")}</strong></p>` : ""}
<p>${tm(l, "page.preferences.lists", { email: html`<strong>${opts.email}</strong>` })}</p>
<form method="post" action="${opts.action}">
${opts.lists.length > 0 ? items : html`<p class="muted">${t(l, "page.preferences.none")}</p>`}
<button type="submit" name="action" value="save">${t(l, "page.preferences.save")}</button>
</form>
<form method="post" action="${opts.action}">
<button type="submit" class="secondary" name="action" value="unsubscribe_all">${t(l, "page.preferences.unsubscribeAll")}</button>
</form>`,
  );
}

import { type Brand, DEFAULT_BRAND } from "../contract/settings";
import { html, Markup } from "../lib/html";
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
  messagePage(
    theme,
    "Link not valid",
    "This link is not valid or has expired. If you copied it from an email, check that it is complete.",
  );

/** After the form: "check your inbox" for double opt-in; a signup form's own message when it has one. */
export function thanksPage(theme: PageTheme, confirmationRequired: boolean, message?: string | null): string {
  const own = message ? [message] : [];
  return confirmationRequired
    ? messagePage(
        theme,
        "Check your inbox",
        "Thanks! We have sent you an email with a link to confirm your subscription.",
        "If it does not arrive within a few minutes, look in your spam folder.",
        ...own,
      )
    : messagePage(
        theme,
        "Thanks for subscribing",
        message || "You are on the list.",
        // Said to everyone alike, so the page never tells whether the address had left before.
        "If this address had unsubscribed before, we have sent it a link to confirm that you want to come back.",
      );
}

export const confirmedPage = (theme: PageTheme, lists: string[]) =>
  page(
    theme,
    "Subscription confirmed",
    html`<p>Thanks, your subscription is confirmed:</p><ul>${lists.map((l) => html`<li>${l}</li>`)}</ul>`,
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
  const what = opts.listName ? html`from <strong>${opts.listName}</strong>` : html`from all our lists`;
  return page(
    theme,
    "Unsubscribe",
    html`<p>Unsubscribe <strong>${opts.email}</strong> ${what}?</p>
<form method="post" action="${opts.action}">
<button type="submit">Unsubscribe</button>
</form>
<p class="muted">Or <a href="${opts.preferencesUrl}">choose which lists you receive</a>.</p>`,
  );
}

export function unsubscribedPage(
  theme: PageTheme,
  listName: string | null,
  preferencesUrl: string | null,
): string {
  return page(
    theme,
    "You are unsubscribed",
    html`<p>${listName ? `You will no longer receive mail from ${listName}.` : "You will no longer receive mail from us."}</p>
${preferencesUrl ? html`<p class="muted"><a href="${preferencesUrl}">Manage your subscriptions</a></p>` : ""}`,
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
  const items = opts.lists.map(
    (l) => html`<label><input type="checkbox" name="l" value="${l.id}"${l.subscribed ? html` checked` : ""}>
${l.name}${l.description ? html` <span class="muted">— ${l.description}</span>` : ""}</label>`,
  );
  return page(
    theme,
    "Your subscriptions",
    html`${opts.saved ? html`<p role="status"><strong>Your choices are saved.</strong></p>` : ""}
<p>Lists <strong>${opts.email}</strong> receives:</p>
<form method="post" action="${opts.action}">
${opts.lists.length > 0 ? items : html`<p class="muted">There are no lists to choose from.</p>`}
<button type="submit" name="action" value="save">Save</button>
</form>
<form method="post" action="${opts.action}">
<button type="submit" class="secondary" name="action" value="unsubscribe_all">Unsubscribe from everything</button>
</form>`,
  );
}

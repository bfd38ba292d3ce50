import { html, Markup } from "../lib/html";

/**
 * Server-rendered pages for subscribers: no scripts, one small inline style sheet (allowed by the
 * CSP these responses carry), every interpolated value escaped by the `html` template.
 */

/** No scripts, frames, plugins or remote anything; forms post only back to this origin. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; " +
  "base-uri 'none'; frame-ancestors 'none'";

export const PAGE_HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": PAGE_CSP,
  "cache-control": "no-store",
  "x-robots-tag": "noindex",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin:.5rem 0}
button{font:inherit;padding:.5rem 1rem;border:0;border-radius:6px;background:#2d5bd7;color:#fff;cursor:pointer}
button.secondary{background:#e4e7ee;color:#1d2330}.muted{color:#5b6474;font-size:.9rem}
form{margin:1rem 0}`;

/** A whole page around `body`. */
export function page(title: string, body: Markup): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${new Markup(STYLE)}</style>
</head>
<body><main>
<h1>${title}</h1>
${body}
</main></body>
</html>
`.value;
}

export const messagePage = (title: string, ...lines: string[]) =>
  page(title, html`${lines.map((l) => html`<p>${l}</p>`)}`);

export const notFoundPage = () =>
  messagePage(
    "Link not valid",
    "This link is not valid or has expired. If you copied it from an email, check that it is complete.",
  );

export function thanksPage(confirmationRequired: boolean): string {
  return confirmationRequired
    ? messagePage(
        "Check your inbox",
        "Thanks! We have sent you an email with a link to confirm your subscription.",
        "If it does not arrive within a few minutes, look in your spam folder.",
      )
    : messagePage(
        "Thanks for subscribing",
        "You are on the list.",
        // Said to everyone alike, so the page never tells whether the address had left before.
        "If this address had unsubscribed before, we have sent it a link to confirm that you want to come back.",
      );
}

export const confirmedPage = (lists: string[]) =>
  page(
    "Subscription confirmed",
    html`<p>Thanks, your subscription is confirmed:</p><ul>${lists.map((l) => html`<li>${l}</li>`)}</ul>`,
  );

export function unsubscribePage(opts: {
  action: string;
  email: string;
  listName: string | null;
  preferencesUrl: string;
}): string {
  const what = opts.listName ? html`from <strong>${opts.listName}</strong>` : html`from all our lists`;
  return page(
    "Unsubscribe",
    html`<p>Unsubscribe <strong>${opts.email}</strong> ${what}?</p>
<form method="post" action="${opts.action}">
<button type="submit">Unsubscribe</button>
</form>
<p class="muted">Or <a href="${opts.preferencesUrl}">choose which lists you receive</a>.</p>`,
  );
}

export function unsubscribedPage(listName: string | null, preferencesUrl: string | null): string {
  return page(
    "You are unsubscribed",
    html`<p>${listName ? `You will no longer receive mail from ${listName}.` : "You will no longer receive mail from us."}</p>
${preferencesUrl ? html`<p class="muted"><a href="${preferencesUrl}">Manage your subscriptions</a></p>` : ""}`,
  );
}

export function preferencesPage(opts: {
  action: string;
  email: string;
  lists: { id: string; name: string; description: string | null; subscribed: boolean }[];
  saved: boolean;
}): string {
  const items = opts.lists.map(
    (l) => html`<label><input type="checkbox" name="l" value="${l.id}"${l.subscribed ? html` checked` : ""}>
${l.name}${l.description ? html` <span class="muted">— ${l.description}</span>` : ""}</label>`,
  );
  return page(
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

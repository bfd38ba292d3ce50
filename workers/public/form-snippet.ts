import { html } from "../lib/html";

/** The form's hidden field: people never fill it, form-spamming bots usually do. */
export const HONEYPOT_FIELD = "website";

/**
 * The copy-paste HTML form for a list, to put on any web page: it posts to `/subscribe` and shows
 * our thank-you page. Works without JavaScript. The honeypot field sits off-screen (not `hidden`,
 * which bots skip) and is left out of the tab order and the accessibility tree.
 */
export function subscriptionFormSnippet(appUrl: string, list: { id: string; name: string }): string {
  const action = `${appUrl.replace(/\/+$/, "")}/subscribe`;
  return html`<form method="post" action="${action}" accept-charset="utf-8">
  <label>Email <input type="email" name="email" required autocomplete="email"></label>
  <label>Name <input type="text" name="name" autocomplete="name"></label>
  <input type="hidden" name="l" value="${list.id}">
  <div style="position:absolute;left:-10000px" aria-hidden="true">
    <label>Leave this empty <input type="text" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></label>
  </div>
  <button type="submit">Subscribe to ${list.name}</button>
</form>
`.value;
}

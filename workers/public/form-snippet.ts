import type { SignupForm } from "../domain/audience/subscriptions/signup-form";
import { html } from "../lib/html";
import { buttonLabel, signupInputs } from "./signup-page";

export { HONEYPOT_FIELD } from "./signup-page";

/**
 * The copy-paste HTML form for a list, to put on any web page: it posts to `/subscribe` and shows
 * our thank-you page. Works without JavaScript. It asks for what the list's hosted page asks for.
 */
export function subscriptionFormSnippet(appUrl: string, form: SignupForm): string {
  const action = `${appUrl.replace(/\/+$/, "")}/subscribe`;
  const label = form.form.buttonLabel || `${buttonLabel(form)} to ${form.list.name}`;
  return html`<form method="post" action="${action}" accept-charset="utf-8">
${signupInputs(form, true)}
<button type="submit">${label}</button>
</form>
`.value;
}

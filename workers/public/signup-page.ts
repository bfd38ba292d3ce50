import type { SignupField, SignupForm } from "../domain/audience/subscriptions/signup-form";
import { html, type Markup } from "../lib/html";
import { t } from "../lib/i18n";
import { type PageTheme, page } from "./pages";

/**
 * The hosted signup page of a public list and the inputs it shares with the embed snippet: email,
 * the name when asked for, the list's chosen custom fields by type, the list id and the honeypot.
 */

/** The form's hidden field: people never fill it, form-spamming bots usually do. */
export const HONEYPOT_FIELD = "website";

const star = (required: boolean) => (required ? html` <span class="req" aria-hidden="true">*</span>` : "");

/** One custom field's input, named `fields[key]` as POST /subscribe reads it. */
function fieldInput(field: SignupField, lang: string): Markup {
  const name = `fields[${field.key}]`;
  const id = `f-${field.key}`;
  const req = field.required ? html` required` : "";
  const label = html`<span class="field-label">${field.label}${star(field.required)}</span>`;
  switch (field.type) {
    case "boolean":
      return html`<label class="check" for="${id}"><input type="checkbox" id="${id}" name="${name}" value="true"${req}> <span>${field.label}${star(field.required)}</span></label>`;
    case "select":
      return html`<label for="${id}">${label}<select id="${id}" name="${name}"${req}>
<option value="">${t(lang, "signup.choose")}</option>${(field.options ?? []).map((o) => html`<option value="${o}">${o}</option>`)}
</select></label>`;
    case "number":
      return html`<label for="${id}">${label}<input type="number" step="any" id="${id}" name="${name}"${req}></label>`;
    case "date":
      return html`<label for="${id}">${label}<input type="date" id="${id}" name="${name}"${req}></label>`;
    default:
      return html`<label for="${id}">${label}<input type="text" id="${id}" name="${name}" maxlength="2000"${req}></label>`;
  }
}

/**
 * The inputs of a list's form, from email to the honeypot, which sits off-screen (not `hidden`,
 * which bots skip), out of the tab order and the accessibility tree. `standalone`: for a page
 * without our style sheet (the embed snippet), so the honeypot is hidden by an inline style.
 */
export function signupInputs(form: SignupForm, standalone = false, lang = "en"): Markup {
  const trap = standalone ? html`style="position:absolute;left:-10000px"` : html`class="trap"`;
  const nameMode = form.form.name;
  const nameInput =
    nameMode === "hidden"
      ? ""
      : html`<label for="f-name"><span class="field-label">${t(lang, "signup.name")}${star(nameMode === "required")}</span><input type="text" id="f-name" name="name" autocomplete="name" maxlength="200"${nameMode === "required" ? html` required` : ""}></label>`;
  return html`<label for="f-email"><span class="field-label">${t(lang, "signup.email")}${star(true)}</span><input type="email" id="f-email" name="email" required autocomplete="email" maxlength="320"></label>
${nameInput}
${form.fields.map((f) => html`${fieldInput(f, lang)}\n`)}<input type="hidden" name="l" value="${form.list.id}">
<div ${trap} aria-hidden="true"><label>${t(lang, "signup.trap")} <input type="text" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></label></div>`;
}

/** The button's text: the form's own label, else "Subscribe" in the page's language. */
export const buttonLabel = (form: SignupForm, lang = "en") =>
  form.form.buttonLabel || t(lang, "signup.button");

/** `GET /subscribe/:listId`: the list's title and intro, its form, themed by the brand. */
export function signupPage(theme: PageTheme, form: SignupForm, action = "/subscribe"): string {
  const intro = form.form.intro ?? form.list.description;
  const note =
    form.list.optIn === "double" ? html`<p class="muted">${t(theme.lang, "signup.doubleOptIn")}</p>` : "";
  return page(
    theme,
    form.form.title || form.list.name,
    html`${intro ? html`<p class="intro">${intro}</p>` : ""}
<form method="post" action="${action}" accept-charset="utf-8" aria-label="${t(theme.lang, "signup.form")}">
${signupInputs(form, false, theme.lang)}
<p><button type="submit">${buttonLabel(form, theme.lang)}</button></p>
</form>
${note}`,
  );
}

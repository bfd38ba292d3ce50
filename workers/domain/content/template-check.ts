import type { Database } from "../../lib/db";
import { type AppError, RuleError } from "../../lib/errors";
import {
  checkTemplate,
  compileTemplate,
  renderTemplate,
  requiresUnsubscribe,
  type TemplateProblem,
  TemplateRenderError,
  type TemplateSource,
} from "../../mail/template/template";
import { getSettingsOf } from "../settings";
import { placeholderLinks, sampleSubscriber, templateVars } from "./render-context";

/** The campaign that previews, tests of a template and the save check render as. */
export const SAMPLE_CAMPAIGN = { id: "00000000-0000-7000-8000-000000000000", name: "Preview" };

/** A render failure as a 422 that names the template (and the limit, when one was hit). */
export function namedRenderError(err: TemplateRenderError, name: string | null): AppError {
  const { part, line, message } = err.problem;
  const what = name ? `Template "${name}"` : "The template";
  return RuleError(`${what} cannot be rendered (${part}, line ${line}): ${message}`, err.details);
}

/**
 * Renders content once with a sample subscriber and no `data`, under the render limits: the
 * failure a send would meet, or null. Links are placeholders: only their presence matters here.
 */
export async function sampleRenderFailure(
  db: Database,
  src: TemplateSource,
): Promise<TemplateRenderError | null> {
  const org = await getSettingsOf(db, ["postalAddress", "organizationName"]);
  const vars = templateVars({
    subscriber: await sampleSubscriber(db),
    links: placeholderLinks(""),
    postalAddress: org.postalAddress,
    organizationName: org.organizationName,
    campaign: SAMPLE_CAMPAIGN,
  });
  try {
    await renderTemplate(compileTemplate(src), vars);
    return null;
  } catch (err) {
    if (err instanceof TemplateRenderError) return err;
    throw err;
  }
}

/**
 * The save check: content that cannot render on sample data (a loop past the render limits, a
 * filter that throws) is refused with a 422 naming the template, rather than failing every
 * recipient of a campaign later. Call after the syntax check.
 */
export async function assertRendersOnSample(db: Database, src: TemplateSource, name: string): Promise<void> {
  const failure = await sampleRenderFailure(db, src);
  if (failure) throw namedRenderError(failure, name);
}

/**
 * The editor's check as you type: syntax problems with their positions, the unsubscribe link of
 * campaign templates, and, once the syntax is sound, the sample render (limits included).
 */
export async function checkTemplateContent(
  db: Database,
  src: TemplateSource,
  kind: "campaign" | "transactional",
): Promise<{ ok: boolean; problems: TemplateProblem[]; hasUnsubscribeLink: boolean }> {
  const problems = checkTemplate(src);
  if (problems.length === 0) {
    const failure = await sampleRenderFailure(db, src);
    if (failure) problems.push(failure.problem);
  }
  const hasUnsubscribeLink = requiresUnsubscribe(src);
  const ok = problems.length === 0 && (kind !== "campaign" || hasUnsubscribeLink);
  return { ok, problems, hasUnsubscribeLink };
}

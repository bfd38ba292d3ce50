import type { PreviewTemplate } from "../../contract/content";
import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import {
  compileTemplate,
  renderTemplate,
  TemplateRenderError,
  type TemplateSource,
} from "../../mail/template/template";
import { publicBaseUrl } from "../audience/subscriptions/links";
import { getSettingsOf } from "../settings";
import {
  loadSubscriber,
  placeholderLinks,
  sampleSubscriber,
  subscriberVars,
  templateVars,
} from "./render-context";
import { namedRenderError, SAMPLE_CAMPAIGN } from "./template-check";
import { assertValidContent, getTemplate, getTemplateVersion } from "./templates";

/**
 * Renders a template as a recipient would get it: as a real subscriber (their name and fields)
 * or with sample data, from the current version, a stored one, or unsaved editor content.
 * Tracking is not injected: a preview must never count as an open or a click. The unsubscribe,
 * preferences and view-in-browser links are inert placeholders: a preview is seen by people who
 * are not the subscriber (analysts), and the real links never expire. A render that fails or
 * hits the render limits is a 422 naming the template.
 */
export async function previewTemplate(
  db: Database,
  env: Env,
  id: string | null,
  input: PreviewTemplate,
  origin?: string,
): Promise<{ subject: string; html: string; text: string }> {
  // Without a template (a new one, not saved yet) the content comes wholly from the input.
  const template = id ? await getTemplate(db, id) : null;
  let src: TemplateSource = {
    subject: template?.subject ?? "",
    html: template?.html ?? "",
    text: template?.text ?? null,
  };
  if (input.version !== undefined && id) {
    const v = await getTemplateVersion(db, id, input.version);
    src = { subject: v.subject, html: v.html, text: v.text };
  }
  src = {
    subject: input.subject ?? src.subject,
    html: input.html ?? src.html,
    text: input.text !== undefined ? input.text : src.text,
  };
  // Syntax only: a draft without its unsubscribe link yet still previews.
  assertValidContent(src, "transactional");
  const org = await getSettingsOf(db, ["postalAddress", "organizationName"]);
  const row = input.subscriberId ? await loadSubscriber(db, input.subscriberId) : null;
  const vars = templateVars({
    subscriber: row ? subscriberVars(row) : await sampleSubscriber(db),
    links: placeholderLinks(publicBaseUrl(env, origin)),
    postalAddress: org.postalAddress,
    organizationName: org.organizationName,
    campaign: SAMPLE_CAMPAIGN,
    data: input.data,
  });
  try {
    return await renderTemplate(compileTemplate(src), vars);
  } catch (err) {
    if (err instanceof TemplateRenderError) throw namedRenderError(err, template?.name ?? null);
    throw err;
  }
}

import type { PreviewTemplate } from "../../api/schemas/content";
import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import { compileTemplate, renderTemplate, type TemplateSource } from "../../mail/template";
import { getSettingsOf } from "../settings";
import {
  loadSubscriber,
  messageLinks,
  sampleSubscriber,
  subscriberVars,
  templateVars,
} from "./render-context";
import { assertValidContent, getTemplate, getTemplateVersion } from "./templates";

/**
 * Renders a template as a recipient would get it: as a real subscriber (with their real signed
 * links) or with sample data, from the current version, a stored one, or unsaved editor content.
 * Tracking is not injected: a preview must never count as an open or a click.
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
  const subscriber = row ? subscriberVars(row) : await sampleSubscriber(db);
  const links = await messageLinks(env, { subscriberId: row?.id ?? null }, origin);
  const vars = templateVars({
    subscriber,
    links,
    postalAddress: org.postalAddress,
    organizationName: org.organizationName,
    campaign: { id: "00000000-0000-7000-8000-000000000000", name: "Preview" },
    data: input.data,
  });
  return renderTemplate(compileTemplate(src), vars);
}

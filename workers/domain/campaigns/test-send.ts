import type { Env } from "../../env";
import { NotFoundError } from "../../lib/errors";
import { compileTemplate, TemplateRenderError } from "../../mail/template/template";
import { publicBaseUrl } from "../audience/subscriptions/links";
import { emitAudit } from "../audit";
import { placeholderLinks, templateVars } from "../content/render-context";
import { namedRenderError } from "../content/template-check";
import { getTemplate } from "../content/templates";
import type { DomainContext } from "../context";
import { campaignContext } from "../sending/campaign-context";
import { deliverTests, type TestResult } from "../sending/test-sends";
import { assertNotArchived, getCampaign } from "./campaigns";

/**
 * Sends the campaign as it stands (the template's current content, the campaign's sender, relay
 * and DKIM key) to a few addresses; no ledger row, no tracking, no stats. Tests go to any
 * address, so they carry placeholder links, never a subscriber's working ones.
 */
export async function sendCampaignTest(
  { db, actor, env }: DomainContext & { env: Env },
  campaignId: string,
  emails: string[],
  variantId?: string,
): Promise<TestResult[]> {
  const campaign = await getCampaign(db, campaignId);
  assertNotArchived(campaign);
  const variant = variantId ? campaign.variants.find((v) => v.id === variantId) : undefined;
  if (variantId && !variant) throw NotFoundError("Variant");
  const ctx = await campaignContext(db, env, campaign);
  const template = await getTemplate(db, variant?.templateId ?? campaign.templateId);
  const links = placeholderLinks(publicBaseUrl(env));
  const results = await deliverTests(db, env, {
    sender: ctx.sender,
    relay: ctx.relay,
    compiled: compileTemplate({
      subject: variant?.subject ?? template.subject,
      html: template.html,
      text: template.text,
    }),
    emails,
    campaignId,
    vars: (subscriber) =>
      templateVars({
        subscriber,
        links,
        postalAddress: ctx.settings.postalAddress,
        organizationName: ctx.settings.organizationName,
        campaign: { id: campaign.id, name: campaign.name },
        list: ctx.list,
      }),
  }).catch((err: unknown) => {
    throw err instanceof TemplateRenderError ? namedRenderError(err, template.name) : err;
  });
  await emitAudit(db, actor, {
    action: "campaign.test_send",
    entity: "campaign",
    entityId: campaignId,
    after: { emails, variantId: variantId ?? null, accepted: results.filter((r) => r.accepted).length },
  });
  return results;
}

import type { Env } from "../../env";
import { RuleError } from "../../lib/errors";
import { domainOf } from "../../mail/mime/mime";
import { compileTemplate, TemplateRenderError } from "../../mail/template/template";
import { publicBaseUrl } from "../audience/subscriptions/links";
import { emitAudit } from "../audit";
import { loadSubscriber, placeholderLinks, templateVars } from "../content/render-context";
import { namedRenderError } from "../content/template-check";
import { getTemplate } from "../content/templates";
import type { DomainContext } from "../context";
import { getSettings } from "../settings";
import { dkimSignerFor, signingDomainFor } from "./domains/domains";
import { resolveRelay } from "./relays/relays";
import { deliverTests, type TestResult } from "./test-sends";

export interface TemplateTestInput {
  emails: string[];
  subscriberId?: string;
  data?: Record<string, unknown>;
  /** Unsaved editor content to send instead of the current version. */
  subject?: string;
  html?: string;
  text?: string | null;
}

/**
 * The editor's "send a test": the template (or unsaved content) from the default sender. Tests go
 * to any address, so they carry placeholder links, never a subscriber's working ones.
 */
export async function sendTemplateTest(
  { db, actor, env }: DomainContext & { env: Env },
  templateId: string,
  input: TemplateTestInput,
): Promise<TestResult[]> {
  const template = await getTemplate(db, templateId);
  const settings = await getSettings(db);
  if (!settings.defaultFromEmail)
    throw RuleError("Set a default sender under Settings first: tests are sent from it");
  const relay = await resolveRelay(db, env, null, settings.defaultRelayId);
  const domain = await signingDomainFor(db, settings.defaultFromEmail);
  const compiled = compileTemplate({
    subject: input.subject ?? template.subject,
    html: input.html ?? template.html,
    text: input.text !== undefined ? input.text : template.text,
  });
  const links = placeholderLinks(publicBaseUrl(env));
  const results = await deliverTests(db, env, {
    sender: {
      env,
      baseUrl: publicBaseUrl(env),
      from: { name: settings.defaultFromName, address: settings.defaultFromEmail },
      replyTo: settings.defaultReplyTo ? { address: settings.defaultReplyTo } : null,
      bounceDomain: domain?.bounceDomain ?? settings.bounceDomain ?? domainOf(settings.defaultFromEmail),
      signer: domain ? await dkimSignerFor(env, domain) : null,
      trackOpens: false,
      trackClicks: false,
      listUnsubscribe: template.kind === "campaign",
    },
    relay,
    compiled,
    emails: input.emails,
    asSubscriber: input.subscriberId ? await loadSubscriber(db, input.subscriberId) : null,
    vars: (subscriber) =>
      templateVars({
        subscriber,
        links,
        postalAddress: settings.postalAddress,
        organizationName: settings.organizationName,
        campaign: { id: "00000000-0000-7000-8000-000000000000", name: template.name },
        data: input.data,
      }),
  }).catch((err: unknown) => {
    throw err instanceof TemplateRenderError ? namedRenderError(err, template.name) : err;
  });
  await emitAudit(db, actor, {
    action: "template.test_send",
    entity: "template",
    entityId: templateId,
    after: { emails: input.emails, accepted: results.filter((r) => r.accepted).length },
  });
  return results;
}

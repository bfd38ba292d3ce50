import { asc, eq } from "drizzle-orm";
import { campaigns, campaignVariants } from "../../../schema/campaigns";
import { lists } from "../../../schema/lists";
import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import { NotFoundError } from "../../lib/errors";
import { domainOf } from "../../mail/mime/mime";
import { type CompiledTemplate, compileTemplate } from "../../mail/template/template";
import { publicBaseUrl } from "../audience/subscriptions/links";
import { getTemplateVersion } from "../content/templates";
import { getSettings, type OrgSettings } from "../settings";
import { dkimSignerFor, signingDomainFor } from "./domains/domains";
import type { SenderContext } from "./outbound";
import { type ResolvedRelay, resolveRelay } from "./relays/relays";

/**
 * Templates parsed once per isolate, by version: versions are immutable, so a cached parse is
 * never stale. Parsed templates are plain objects (no I/O), safe to keep across requests.
 */
const compiled = new Map<string, CompiledTemplate>();
const COMPILED_MAX = 200;

/**
 * The parsed template of one stored version, optionally with another subject line (an A/B
 * variant's, itself Liquid, so `{{ subscriber.name }}` works in variant subjects too).
 */
export async function compiledVersion(
  db: Database,
  templateId: string,
  version: number,
  subject?: string | null,
): Promise<CompiledTemplate> {
  const key = `${templateId}:${version}:${subject ?? ""}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const v = await getTemplateVersion(db, templateId, version);
  const parsed = compileTemplate({ subject: subject ?? v.subject, html: v.html, text: v.text });
  if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value ?? "");
  compiled.set(key, parsed);
  return parsed;
}

/**
 * What sending needs to know of a campaign (campaigns/campaigns.ts's view has all of it): the
 * sending layer reads campaigns, it does not import them.
 */
export interface SendingCampaign {
  id: string;
  name: string;
  templateId: string;
  templateVersion: number | null;
  listIds: string[];
  fromName: string;
  fromEmail: string;
  replyTo: string | null;
  relayId: string | null;
  variants: {
    id: string;
    templateId: string | null;
    templateVersion: number | null;
    subject: string | null;
  }[];
}

/** The campaign as sending sees it, read straight from its tables (variants in their order). */
export async function loadSendingCampaign(db: Database, id: string): Promise<SendingCampaign> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  if (!row) throw NotFoundError("Campaign");
  const variants = await db
    .select({
      id: campaignVariants.id,
      templateId: campaignVariants.templateId,
      templateVersion: campaignVariants.templateVersion,
      subject: campaignVariants.subject,
    })
    .from(campaignVariants)
    .where(eq(campaignVariants.campaignId, id))
    .orderBy(asc(campaignVariants.position));
  return { ...row, variants };
}

/** Everything a campaign's messages share, built once per consumer invocation. */
export interface CampaignSendContext {
  sender: SenderContext;
  relay: ResolvedRelay;
  settings: OrgSettings;
  /** Parsed template per variant id ("" for no variant). */
  content: Map<string, CompiledTemplate>;
  list: { id: string; name: string } | null;
}

/** Loads relay, DKIM signer, settings and parsed templates for a campaign that is sending. */
export async function campaignContext(
  db: Database,
  env: Env,
  campaign: SendingCampaign,
): Promise<CampaignSendContext> {
  const settings = await getSettings(db);
  const relay = await resolveRelay(db, env, campaign.relayId, settings.defaultRelayId);
  const domain = await signingDomainFor(db, campaign.fromEmail);
  const signer = domain ? await dkimSignerFor(env, domain) : null;
  const version = campaign.templateVersion ?? 1;
  const content = new Map<string, CompiledTemplate>();
  content.set("", await compiledVersion(db, campaign.templateId, version));
  for (const v of campaign.variants) {
    const parsed = v.templateId
      ? await compiledVersion(db, v.templateId, v.templateVersion ?? 1, v.subject)
      : await compiledVersion(db, campaign.templateId, version, v.subject);
    content.set(v.id, parsed);
  }
  const firstList = campaign.listIds[0];
  const [list] = firstList
    ? await db.select({ id: lists.id, name: lists.name }).from(lists).where(eq(lists.id, firstList))
    : [];
  const bounceDomain = domain?.bounceDomain ?? settings.bounceDomain ?? domainOf(campaign.fromEmail);
  const sender: SenderContext = {
    env,
    baseUrl: publicBaseUrl(env),
    from: { name: campaign.fromName, address: campaign.fromEmail },
    replyTo: campaign.replyTo ? { address: campaign.replyTo } : null,
    bounceDomain,
    signer,
    trackOpens: settings.trackOpens,
    trackClicks: settings.trackClicks,
    listUnsubscribe: true,
    // Without a dot, compose.ts appends the sending domain: `<hex>.example.com`.
    list: list
      ? { id: list.id.replace(/-/g, ""), name: list.name }
      : { id: campaign.id.replace(/-/g, ""), name: campaign.name },
    feedback: { campaign: campaign.id.replace(/-/g, ""), kind: "campaign" },
  };
  return { sender, relay, settings, content, list: list ?? null };
}

import { eq } from "drizzle-orm";
import { type FieldType, subscribers } from "../../../schema/subscribers";
import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import { NotFoundError } from "../../lib/errors";
import { signToken } from "../../lib/signed-token";
import type { TemplateVars } from "../../mail/template/template";
import { loadFieldDefs } from "../audience/field-values";
import type { SubscriberRow } from "../audience/subscribers";
import { preferencesUrl, publicBaseUrl, unsubscribeUrl } from "../audience/subscriptions/links";

/** The purpose of "view in browser" tokens: which campaign (or send), for which subscriber. */
export const VIEW_PURPOSE = "view";

export interface MessageScope {
  subscriberId: string | null;
  campaignId?: string | null;
  campaignName?: string | null;
  listId?: string | null;
  listName?: string | null;
}

/** The subscriber as templates see it (`subscriber.*`). */
export function subscriberVars(sub: Pick<SubscriberRow, "id" | "email" | "name" | "fields" | "createdAt">) {
  return {
    id: sub.id,
    email: sub.email,
    name: sub.name ?? "",
    fields: sub.fields,
    created_at: sub.createdAt.toISOString(),
  };
}

const SAMPLE_VALUES: Record<FieldType, (options: string[] | null) => unknown> = {
  text: () => "Sample text",
  number: () => 42,
  date: () => "2026-01-15",
  boolean: () => true,
  select: (options) => options?.[0] ?? "",
};

/** A made-up subscriber with a plausible value for every custom field, for previews without one. */
export async function sampleSubscriber(db: Database) {
  const defs = await loadFieldDefs(db);
  const fields: Record<string, unknown> = {};
  for (const def of defs.values()) fields[def.key] = SAMPLE_VALUES[def.type](def.options);
  return {
    id: "00000000-0000-7000-8000-000000000000",
    email: "subscriber@example.com",
    name: "Sample Subscriber",
    fields,
    created_at: new Date().toISOString(),
  };
}

export async function loadSubscriber(db: Database, id: string): Promise<SubscriberRow> {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.id, id));
  if (!row) throw NotFoundError("Subscriber");
  return row;
}

/**
 * Inert stand-ins for the signed links, for previews and test sends: those are seen by people who
 * are not the subscriber (any analyst, any test address), and the real links never expire. The
 * public routes answer these paths with a page that says so and change nothing.
 */
export function placeholderLinks(base: string): MessageLinks {
  return {
    unsubscribe_url: `${base}/u/${PLACEHOLDER_TOKEN}`,
    preferences_url: `${base}/preferences/${PLACEHOLDER_TOKEN}`,
    view_in_browser_url: `${base}/v/${PLACEHOLDER_TOKEN}`,
  };
}

/** The token of every placeholder link: not a signed token, so no handler can act on it. */
export const PLACEHOLDER_TOKEN = "preview";

export interface MessageLinks {
  unsubscribe_url: string;
  preferences_url: string;
  view_in_browser_url: string;
}

/**
 * The links a real message carries: that subscriber's signed unsubscribe, preferences and
 * view-in-browser URLs. Only real sends may call this with a subscriber; without one (and for
 * previews and tests, always) the links are placeholders.
 */
export async function messageLinks(env: Env, scope: MessageScope, origin?: string): Promise<MessageLinks> {
  if (!scope.subscriberId) return placeholderLinks(publicBaseUrl(env, origin));
  const claims = {
    subscriberId: scope.subscriberId,
    ...(scope.listId ? { listId: scope.listId } : {}),
    ...(scope.campaignId ? { campaignId: scope.campaignId } : {}),
  };
  const view = scope.campaignId
    ? `${publicBaseUrl(env, origin)}/v/${await signToken(env.TRACKING_SECRET, VIEW_PURPOSE, [scope.campaignId, scope.subscriberId])}`
    : "";
  return {
    unsubscribe_url: await unsubscribeUrl(env, claims, origin),
    preferences_url: await preferencesUrl(env, scope.subscriberId, origin),
    view_in_browser_url: view,
  };
}

/** Everything a template can use, for one recipient. */
export function templateVars(input: {
  subscriber: TemplateVars["subscriber"];
  links: MessageLinks;
  postalAddress: string;
  organizationName: string;
  campaign?: { id: string; name: string } | null;
  list?: { id: string; name: string } | null;
  data?: Record<string, unknown>;
}): TemplateVars {
  return {
    subscriber: input.subscriber,
    campaign: input.campaign ?? undefined,
    list: input.list ?? undefined,
    ...input.links,
    postal_address: input.postalAddress,
    organization_name: input.organizationName,
    data: input.data ?? {},
  };
}

import type { Env } from "../../../env";
import { AppError } from "../../../lib/errors";
import { signToken, verifyToken } from "../../../lib/signed-token";

/**
 * The signed links a subscriber gets by mail: confirm (double opt-in), unsubscribe (RFC 8058
 * one-click, scoped to a list and campaign when given) and preferences. Each has its own token
 * purpose, so one kind of link never works as another.
 */

export const CONFIRM_PURPOSE = "confirm";
export const UNSUBSCRIBE_PURPOSE = "unsubscribe";
export const PREFERENCES_PURPOSE = "preferences";

/** Confirmation links work for 30 days; unsubscribe and preferences links never expire. */
export const CONFIRM_TTL_SECONDS = 30 * 24 * 3600;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string) => UUID.test(v);

/** The public base URL for links: APP_URL, else the given request origin; no trailing slash. */
export function publicBaseUrl(env: Env, origin?: string): string {
  const base = env.APP_URL || origin;
  if (!base) throw new AppError("misconfigured", "APP_URL is not set, so links in mail cannot be built");
  return base.replace(/\/+$/, "");
}

export interface ConfirmClaims {
  subscriberId: string;
  listIds: string[];
}

/**
 * When the link was made; null for links made before this was recorded. A confirmation re-opens a
 * membership unsubscribed before its link was made (the way back), never one unsubscribed after.
 */
export type ReadConfirmClaims = ConfirmClaims & { issuedAt: Date | null };

/** The issue time rides as a last field `t<ms in base 36>`, which no list id can look like. */
const ISSUED = /^t([0-9a-z]{1,12})$/;

export const confirmToken = (secret: string, c: ConfirmClaims, now: Date = new Date()) =>
  signToken(secret, CONFIRM_PURPOSE, [c.subscriberId, ...c.listIds, `t${now.getTime().toString(36)}`], {
    ttlSeconds: CONFIRM_TTL_SECONDS,
    now,
  });

export async function readConfirmToken(secret: string, token: string): Promise<ReadConfirmClaims | null> {
  const f = await verifyToken(secret, CONFIRM_PURPOSE, token);
  const [subscriberId, ...rest] = f ?? [];
  const issued = ISSUED.exec(rest.at(-1) ?? "");
  const listIds = issued ? rest.slice(0, -1) : rest;
  if (!subscriberId || !isUuid(subscriberId) || !listIds.every(isUuid)) return null;
  return { subscriberId, listIds, issuedAt: issued?.[1] ? new Date(Number.parseInt(issued[1], 36)) : null };
}

export interface UnsubscribeClaims {
  subscriberId: string;
  /** Unsubscribe from this list only; absent means from everything. */
  listId?: string;
  /** The campaign the link was sent in, for the audit trail and analytics. */
  campaignId?: string;
}

export const unsubscribeToken = (secret: string, c: UnsubscribeClaims) =>
  signToken(secret, UNSUBSCRIBE_PURPOSE, [c.subscriberId, c.listId ?? "", c.campaignId ?? ""]);

export async function readUnsubscribeToken(secret: string, token: string): Promise<UnsubscribeClaims | null> {
  const f = await verifyToken(secret, UNSUBSCRIBE_PURPOSE, token);
  if (f?.length !== 3) return null;
  const [subscriberId = "", listId = "", campaignId = ""] = f;
  if (!isUuid(subscriberId) || (listId && !isUuid(listId)) || (campaignId && !isUuid(campaignId)))
    return null;
  return {
    subscriberId,
    ...(listId ? { listId } : {}),
    ...(campaignId ? { campaignId } : {}),
  };
}

export const preferencesToken = (secret: string, subscriberId: string) =>
  signToken(secret, PREFERENCES_PURPOSE, [subscriberId]);

export async function readPreferencesToken(secret: string, token: string): Promise<string | null> {
  const f = await verifyToken(secret, PREFERENCES_PURPOSE, token);
  const [id, ...rest] = f ?? [];
  return id && rest.length === 0 && isUuid(id) ? id : null;
}

/**
 * The unsubscribe URL for a message (the `List-Unsubscribe` header and the footer link); pair it
 * with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
 */
export async function unsubscribeUrl(env: Env, claims: UnsubscribeClaims, origin?: string): Promise<string> {
  return `${publicBaseUrl(env, origin)}/u/${await unsubscribeToken(env.TRACKING_SECRET, claims)}`;
}

/** The preferences page URL for a subscriber. */
export async function preferencesUrl(env: Env, subscriberId: string, origin?: string): Promise<string> {
  return `${publicBaseUrl(env, origin)}/preferences/${await preferencesToken(env.TRACKING_SECRET, subscriberId)}`;
}

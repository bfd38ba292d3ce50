import { inArray, sql } from "drizzle-orm";
import { settings } from "../../schema/settings";
import { type Brand, DEFAULT_BRAND } from "../contract/settings";
import type { Database } from "../lib/db";
import { emitAudit } from "./audit";
import type { DomainContext } from "./context";

/** Organisation-wide settings; every key has a built-in default, so a fresh install works. */
export interface OrgSettings {
  organizationName: string;
  /** The physical postal address that marketing mail must carry (CAN-SPAM); `{{ postal_address }}`. */
  postalAddress: string;
  /** Sender used when a campaign or transactional call names none. */
  defaultFromName: string;
  defaultFromEmail: string;
  defaultReplyTo: string | null;
  /** Relay used when none is named; null means the default relay, else SMTP_URL. Never Cloudflare Email Service. */
  defaultRelayId: string | null;
  /** Relay of transactional sends that name none (an SMTP relay or Cloudflare Email Service); null: the default. */
  transactionalRelayId: string | null;
  /** Relay of system mail (confirmations, invitations, resets, notices); null: SMTP_URL. */
  systemRelayId: string | null;
  /** Host of the per-send Return-Path (`bounces+<token>@host`); null means the sender's domain. */
  bounceDomain: string | null;
  trackOpens: boolean;
  trackClicks: boolean;
  retention: { eventsDays: number };
  sending: {
    /** Deliveries of one message before a temporary failure becomes final. */
    maxAttempts: number;
    /** First retry after this many seconds, doubling each time (with jitter), at most 6 hours. */
    retryBaseSeconds: number;
    /** Automatic pause: bounce rate above this over at least `pauseMinSends` sends… */
    pauseBounceRate: number;
    pauseMinSends: number;
    /** …or this many relay errors in a row. */
    pauseConsecutiveErrors: number;
    /** Clicks this soon after delivery are a link scanner's, not a person's. */
    scannerClickSeconds: number;
  };
  bounces: { softLimit: number; softWindowDays: number };
  /**
   * IANA zone for subscribers with neither a `timezone` field nor a seen zone (workflow waits and
   * anniversaries, local-time campaigns); also the zone a local-time campaign's time is read in
   * when it names none.
   */
  timezone: string;
  /** Logo, colours, font and button style of the public pages and of new templates. */
  brand: Brand;
  /**
   * Outgoing webhooks and workflow webhook nodes: whether private, loopback and link-local
   * targets may be called (off in production; on for local receivers).
   */
  webhooks: { allowPrivateTargets: boolean };
}

export const DEFAULT_SETTINGS: OrgSettings = {
  organizationName: "",
  postalAddress: "",
  defaultFromName: "",
  defaultFromEmail: "",
  defaultReplyTo: null,
  defaultRelayId: null,
  transactionalRelayId: null,
  systemRelayId: null,
  bounceDomain: null,
  trackOpens: true,
  trackClicks: true,
  retention: { eventsDays: 400 },
  sending: {
    maxAttempts: 6,
    retryBaseSeconds: 60,
    pauseBounceRate: 0.05,
    pauseMinSends: 200,
    pauseConsecutiveErrors: 20,
    scannerClickSeconds: 10,
  },
  bounces: { softLimit: 3, softWindowDays: 30 },
  timezone: "UTC",
  brand: DEFAULT_BRAND,
  webhooks: { allowPrivateTargets: false },
};

type Key = keyof OrgSettings;
const KEYS = Object.keys(DEFAULT_SETTINGS) as Key[];

/** Stored values over the defaults; nested objects are merged key by key. */
function merge(rows: { key: string; value: unknown }[]): OrgSettings {
  const out = structuredClone(DEFAULT_SETTINGS) as unknown as Record<string, unknown>;
  for (const { key, value } of rows) {
    if (!(key in out)) continue;
    const base = out[key];
    out[key] =
      base && typeof base === "object" && value && typeof value === "object" ? { ...base, ...value } : value;
  }
  return out as unknown as OrgSettings;
}

/** All settings, defaults filled in. */
export async function getSettings(db: Database): Promise<OrgSettings> {
  return merge(await db.select({ key: settings.key, value: settings.value }).from(settings));
}

/** Some settings only (one query either way; this keeps call sites explicit about what they use). */
export async function getSettingsOf<K extends Key>(db: Database, keys: K[]): Promise<Pick<OrgSettings, K>> {
  const rows = await db
    .select({ key: settings.key, value: settings.value })
    .from(settings)
    .where(inArray(settings.key, keys));
  return merge(rows);
}

/** Stores the given settings (already validated by the API) and audits the change. */
export async function updateSettings(
  { db, actor }: DomainContext,
  patch: Partial<OrgSettings>,
): Promise<OrgSettings> {
  return db.transaction(async (tx) => {
    const before = await getSettings(tx);
    const entries = KEYS.filter((k) => patch[k] !== undefined).map((k) => {
      const value = patch[k];
      const base = before[k];
      const merged =
        base && typeof base === "object" && value && typeof value === "object"
          ? { ...base, ...value }
          : value;
      // drizzle sends a null as SQL NULL without the column's encoder; the column holds JSON.
      return { key: k, value: merged === null ? sql`'null'::jsonb` : (merged as unknown) };
    });
    if (entries.length > 0) {
      await tx
        .insert(settings)
        .values(entries)
        .onConflictDoUpdate({
          target: settings.key,
          set: { value: sql`excluded.value`, updatedAt: sql`now()` },
        });
    }
    const after = await getSettings(tx);
    await emitAudit(tx, actor, { action: "settings.update", entity: "settings", before, after });
    return after;
  });
}

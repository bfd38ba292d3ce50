import {
  type BounceInput,
  type ComplaintInput,
  recordBounces,
  recordComplaints,
} from "../../domain/bounces/rules";
import { claimOnce } from "../../domain/rate-limit";
import type { Database } from "../../lib/db";
import { matchSends, type SendRow } from "./match";
import { type Notices, REPLAY_WINDOW_SECONDS, refused } from "./notice";

/** The answer to a verified notification. */
export interface WebhookResult {
  ok: true;
  /** Bounces and complaints the notification reported. */
  bounces: number;
  complaints: number;
  /**
   * Events that change nothing: deliveries, delays, opens, unreadable entries, and notices about
   * one of our sends that name another address.
   */
  ignored: number;
  /** Of the bounces and complaints, those already recorded from an earlier delivery of the notification. */
  duplicates: number;
  /** SNS only: the subscription was confirmed. */
  subscribed?: boolean;
}

const linkOf = (send: SendRow | null) => ({
  sendId: send?.id ?? null,
  campaignId: send?.campaignId ?? null,
  variantId: send?.variantId ?? null,
  subscriberId: send?.subscriberId ?? null,
});

/**
 * Ties each notice to our send and hands it to the one set of bounce and complaint rules. A
 * verified notice counts even when no send matches (its Message-ID rewritten by the relay, say):
 * the provider is authenticated, and suppression is by address anyway. But a notice about one of
 * our messages counts only against that message's recipient: a relay may pass on what a
 * recipient's forged report says, so other addresses it names are ignored (and logged).
 */
export async function recordNotices(db: Database, secret: string, notices: Notices): Promise<WebhookResult> {
  const { replayKey } = notices;
  if (!replayKey) return record(db, secret, notices);
  // The one-time key is claimed in the transaction that records the notices: if recording fails,
  // the provider's retry of the same request is accepted; once it succeeded, a replay is a 401.
  return db.transaction(async (tx) => {
    if (!(await claimOnce(tx, replayKey, REPLAY_WINDOW_SECONDS))) {
      throw refused("Webhook signature already used");
    }
    return record(tx, secret, notices);
  });
}

async function record(db: Database, secret: string, notices: Notices): Promise<WebhookResult> {
  // A batch may repeat an event; the rules must see each notice once.
  const seen = new Set<string>();
  const items = notices.items.filter((n) => !seen.has(n.dedupeKey) && Boolean(seen.add(n.dedupeKey)));
  const matched = await matchSends(
    db,
    secret,
    items.map((n) => ({ ...n.match, email: n.email })),
  );
  const bounces: BounceInput[] = [];
  const complaints: ComplaintInput[] = [];
  let foreign = 0;
  items.forEach((n, i) => {
    const match = matched[i] ?? { send: null, foreign: false };
    if (match.foreign) {
      foreign++;
      return;
    }
    const link = linkOf(match.send);
    const at = n.occurredAt ? { occurredAt: n.occurredAt } : {};
    if (n.kind === "bounce") {
      bounces.push({
        email: n.email,
        hard: n.hard,
        status: n.status,
        reason: n.reason,
        ...(n.diagnostic ? { diagnostic: n.diagnostic } : {}),
        source: "webhook",
        ...link,
        ...at,
        dedupeKey: n.dedupeKey,
      });
    } else {
      complaints.push({
        email: n.email,
        feedbackType: n.feedbackType,
        source: "webhook",
        ...link,
        ...at,
        dedupeKey: n.dedupeKey,
      });
    }
  });
  if (foreign > 0) {
    console.warn(`webhooks: ${foreign} notice(s) naming an address other than their send's; ignored`);
  }
  const newBounces = await recordBounces(db, bounces);
  const newComplaints = await recordComplaints(db, complaints);
  return {
    ok: true,
    bounces: bounces.length,
    complaints: complaints.length,
    ignored: notices.ignored + foreign,
    duplicates: bounces.length + complaints.length - newBounces - newComplaints,
    ...(notices.subscribed ? { subscribed: true } : {}),
  };
}

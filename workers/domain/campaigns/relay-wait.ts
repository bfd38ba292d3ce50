import { and, eq, gt, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import { verifySmtp } from "../../mail/smtp/client";
import { systemActor } from "../actor";
import { resolveRelay } from "../sending/relays/relays";
import { getSettings } from "../settings";
import { dispatchTransition } from "./dispatch";
import { resumeCampaign } from "./lifecycle";

/** A relay that does not greet within this is still down; the cron tries again next minute. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Campaigns that paused themselves because their relay kept failing wait for it: each tick asks
 * every such relay once for a greeting (connect, EHLO, TLS, AUTH, QUIT; nothing is sent), and
 * resumes the campaigns of a relay that answers. Returns the campaigns resumed.
 */
export async function resumeWhereRelaysAnswer(db: Database, env: Env, queue: Queue): Promise<string[]> {
  const waiting = await db
    .select({ id: campaigns.id, relayId: campaigns.relayId })
    .from(campaigns)
    .where(and(eq(campaigns.status, "paused"), gt(campaigns.autoResumeUntil, sql`now()`)));
  if (waiting.length === 0) return [];
  const settings = await getSettings(db);
  const answered = new Map<string, boolean>();
  const resumed: string[] = [];
  for (const c of waiting) {
    const key = c.relayId ?? "";
    let up = answered.get(key);
    if (up === undefined) {
      up = await relayAnswers(db, env, c.relayId, settings.defaultRelayId);
      answered.set(key, up);
    }
    if (!up) continue;
    const t = await resumeCampaign({ db, actor: systemActor("relay-check") }, c.id).catch(() => null);
    if (!t) continue; // resumed, cancelled or edited meanwhile
    await dispatchTransition(queue, db, t);
    resumed.push(c.id);
  }
  return resumed;
}

async function relayAnswers(
  db: Database,
  env: Env,
  relayId: string | null,
  defaultRelayId: string | null,
): Promise<boolean> {
  try {
    const relay = await resolveRelay(db, env, relayId, defaultRelayId);
    const t = PROBE_TIMEOUT_MS;
    await verifySmtp({ ...relay.smtp, timeouts: { connect: t, greeting: t, command: t, data: t } });
    return true;
  } catch {
    return false;
  }
}

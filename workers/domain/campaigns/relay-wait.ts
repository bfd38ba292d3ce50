import { and, eq, gt, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import { verifySmtp } from "../../mail/smtp/client";
import { systemActor } from "../actor";
import type { DomainContext } from "../context";
import { resolveRelay } from "../sending/relays/relays";
import { getSettings } from "../settings";
import { resumeCampaign } from "./lifecycle";

/** A relay that does not greet within this is still down; the cron tries again next minute. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Campaigns that paused themselves because their relay kept failing wait for it: each tick asks
 * every such relay once for a greeting (connect, EHLO, TLS, AUTH, QUIT; nothing is sent), and
 * resumes the campaigns of a relay that answers. Returns the campaigns resumed.
 */
export async function resumeWhereRelaysAnswer(ctx: DomainContext, env: Env): Promise<string[]> {
  const { db } = ctx;
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
    const resumedNow = await resumeCampaign({ ...ctx, actor: systemActor("relay-check") }, c.id).catch(
      () => null,
    );
    if (resumedNow) resumed.push(c.id); // else resumed, cancelled or edited meanwhile
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

import { sql } from "drizzle-orm";
import type { Env } from "../../env";
import { type Database, queryRows } from "../../lib/db";
import { refusedTarget } from "../../lib/net-guard";
import { postSigned, secretBytes } from "../../lib/standard-webhooks";
import type { DomainContext } from "../context";
import { queuesIn } from "../context";
import { getSettingsOf } from "../settings";

/** Tries of one call before it fails for good (about a day of backoff). */
const MAX_ATTEMPTS = 10;
/** A claimed call belongs to its sender this long (a crash mid-call: the sweep retries it after). */
const CLAIM_SECONDS = 120;
const TIMEOUT_MS = 10_000;

interface Call {
  id: string | number;
  url: string;
  secret_ref: string | null;
  body: Record<string, unknown>;
  attempts: number;
}

/** Backoff after the n-th failed try: 30 s, 1 min, 2 min ... at most 6 hours. */
export const webhookBackoffSeconds = (attempts: number) =>
  Math.min(6 * 3600, 30 * 2 ** Math.max(0, attempts - 1));

/**
 * Makes one webhook node's call: claimed first (a message delivered twice calls once at a time),
 * signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`:
 * HMAC-SHA256 of `id.timestamp.body`), to a public address only unless the operator allows
 * private ones, redirects not followed. A 2xx delivers it; anything else is retried with backoff.
 */
export async function deliverWebhookCall(ctx: DomainContext, env: Env, callId: number): Promise<string> {
  const call = await claimCall(ctx.db, callId);
  if (!call) return "not due";
  const outcome = await attemptCall(ctx, env, call);
  if (outcome.ok) {
    await ctx.db.execute(sql`update workflow_webhook_calls set status = 'delivered', last_status = ${outcome.status},
        last_error = null, updated_at = now() where id = ${callId}`);
    return "delivered";
  }
  const final = outcome.permanent || call.attempts >= MAX_ATTEMPTS;
  const delay = webhookBackoffSeconds(call.attempts);
  await ctx.db.execute(sql`update workflow_webhook_calls set status = ${final ? "failed" : "pending"},
      last_status = ${outcome.status ?? null}, last_error = ${outcome.error.slice(0, 500)},
      next_at = now() + make_interval(secs => ${final ? 0 : delay}), updated_at = now() where id = ${callId}`);
  if (!final) await queuesIn(ctx).workflows.send({ type: "webhook", callId }, { delaySeconds: delay });
  return final ? "failed" : "retry";
}

async function claimCall(db: Database, callId: number): Promise<Call | null> {
  const [row] = await queryRows<Call>(
    db,
    sql`update workflow_webhook_calls set attempts = attempts + 1,
        next_at = now() + make_interval(secs => ${CLAIM_SECONDS}), updated_at = now()
      where id = ${callId} and status = 'pending' and next_at <= now() + interval '5 seconds'
      returning id, url, secret_ref, body, attempts`,
  );
  return row ?? null;
}

type Outcome =
  | { ok: true; status: number }
  | { ok: false; status?: number; error: string; permanent?: boolean };

async function attemptCall(ctx: DomainContext, env: Env, call: Call): Promise<Outcome> {
  const secret = signingSecret(env, call.secret_ref);
  if (!secret)
    return {
      ok: false,
      permanent: true,
      error: `no signing secret: set ${secretName(call.secret_ref)} (wrangler secret put)`,
    };
  const refused = await refusedTarget(env, call.url, await allowPrivateTargets(ctx.db, env));
  if (refused) return { ok: false, permanent: true, error: refused };
  const outcome = await postSigned(call.url, {
    id: `wfcall_${call.id}`,
    body: JSON.stringify(call.body),
    secret,
    userAgent: "Edgepost-Workflows/1",
    timeoutMs: TIMEOUT_MS,
  });
  return outcome.ok ? { ok: true, status: outcome.status } : outcome;
}

const secretName = (ref: string | null) =>
  ref ? `WORKFLOW_SECRET_${ref.toUpperCase().replace(/[^A-Z0-9]/g, "_")}` : "WORKFLOW_WEBHOOK_SECRET";

function signingSecret(env: Env, ref: string | null): Uint8Array | null {
  const value = (env as unknown as Record<string, string | undefined>)[secretName(ref)];
  return value ? secretBytes(value) : null;
}

/**
 * Private, loopback and link-local targets are allowed when the owner's setting
 * `webhooks.allowPrivateTargets` says so, or the operator's WORKFLOW_WEBHOOK_ALLOW_PRIVATE.
 */
async function allowPrivateTargets(db: Database, env: Env): Promise<boolean> {
  if (env.WORKFLOW_WEBHOOK_ALLOW_PRIVATE === "true") return true;
  return (await getSettingsOf(db, ["webhooks"])).webhooks.allowPrivateTargets;
}

import { sql } from "drizzle-orm";
import type { Env } from "../../env";
import { type Database, queryRows } from "../../lib/db";
import { isLocalName, isPrivateAddress } from "../../lib/net-guard";
import type { DomainContext } from "../context";
import { queuesIn } from "../context";
import { lookup } from "../sending/domains/dns-check";

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
  const outcome = await attemptCall(env, call);
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

async function attemptCall(env: Env, call: Call): Promise<Outcome> {
  const secret = signingSecret(env, call.secret_ref);
  if (!secret)
    return {
      ok: false,
      permanent: true,
      error: `no signing secret: set ${secretName(call.secret_ref)} (wrangler secret put)`,
    };
  const refused = await refusedTarget(env, call.url);
  if (refused) return { ok: false, permanent: true, error: refused };
  const id = `wfcall_${call.id}`;
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const body = JSON.stringify(call.body);
  try {
    const res = await fetch(call.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "Edgepost-Workflows/1",
        "webhook-id": id,
        "webhook-timestamp": timestamp,
        "webhook-signature": `v1,${await sign(secret, `${id}.${timestamp}.${body}`)}`,
      },
      body,
    });
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const why = res.status >= 300 && res.status < 400 ? "redirects are not followed" : "not a 2xx answer";
    return { ok: false, status: res.status, error: `HTTP ${res.status}: ${why}` };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

const secretName = (ref: string | null) =>
  ref ? `WORKFLOW_SECRET_${ref.toUpperCase().replace(/[^A-Z0-9]/g, "_")}` : "WORKFLOW_WEBHOOK_SECRET";

function signingSecret(env: Env, ref: string | null): Uint8Array | null {
  const value = (env as unknown as Record<string, string | undefined>)[secretName(ref)];
  if (!value) return null;
  if (value.startsWith("whsec_")) return Uint8Array.from(atob(value.slice(6)), (c) => c.charCodeAt(0));
  return new TextEncoder().encode(value);
}

async function sign(secret: Uint8Array, content: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(content));
  return btoa(String.fromCharCode(...new Uint8Array(mac)));
}

/**
 * Why a target may not be called, or null: only http(s); unless the operator allows private
 * targets, no local names and no private, loopback or link-local address, literal or resolved.
 */
export async function refusedTarget(env: Env, target: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "only http and https targets are called";
  if (env.WORKFLOW_WEBHOOK_ALLOW_PRIVATE === "true") return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isLocalName(host) || isPrivateAddress(host))
    return `${host} is a private, loopback or link-local address (an operator can allow these with WORKFLOW_WEBHOOK_ALLOW_PRIVATE)`;
  if (/^[\d.]+$/.test(host) || host.includes(":")) return null;
  const addresses = [
    ...(await lookup(env, host, "A").catch(() => [])),
    ...(await lookup(env, host, "AAAA").catch(() => [])),
  ];
  const bad = addresses.find(isPrivateAddress);
  return bad ? `${host} resolves to ${bad}, a private address` : null;
}

/**
 * Outgoing calls signed the Standard Webhooks way (https://www.standardwebhooks.com): headers
 * `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">`, the key given as `whsec_<base64>` (or raw text). Used by workflow webhook
 * nodes and by outgoing webhooks; redirects are never followed.
 */

/** The key bytes of a `whsec_<base64>` secret (any other text is used as it is). */
export function secretBytes(secret: string): Uint8Array {
  if (secret.startsWith("whsec_")) return Uint8Array.from(atob(secret.slice(6)), (c) => c.charCodeAt(0));
  return new TextEncoder().encode(secret);
}

/** A new signing secret: `whsec_` and 32 random bytes in base64. */
export function newSigningSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** base64 HMAC-SHA256 of `content` under `secret`. */
export async function signContent(secret: Uint8Array, content: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(content));
  return btoa(String.fromCharCode(...new Uint8Array(mac)));
}

export type SignedOutcome =
  | { ok: true; status: number; latencyMs: number; excerpt: string }
  | { ok: false; status?: number; latencyMs: number; excerpt?: string; error: string };

/** The first bytes of an answer kept for the delivery log. */
const EXCERPT_CHARS = 500;

/**
 * POSTs `body` (JSON text) signed with `secret` under the message id `id`. A 2xx is delivered;
 * a 3xx is a failure (redirects are not followed), as is any other status or a network error.
 */
export async function postSigned(
  url: string,
  msg: { id: string; body: string; secret: Uint8Array; userAgent: string; timeoutMs?: number },
): Promise<SignedOutcome> {
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const signature = await signContent(msg.secret, `${msg.id}.${timestamp}.${msg.body}`);
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(msg.timeoutMs ?? 10_000),
      headers: {
        "content-type": "application/json",
        "user-agent": msg.userAgent,
        "webhook-id": msg.id,
        "webhook-timestamp": timestamp,
        "webhook-signature": `v1,${signature}`,
      },
      body: msg.body,
    });
    const excerpt = (await res.text().catch(() => "")).slice(0, EXCERPT_CHARS);
    const latencyMs = Date.now() - started;
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, latencyMs, excerpt };
    const why = res.status >= 300 && res.status < 400 ? "redirects are not followed" : "not a 2xx answer";
    return { ok: false, status: res.status, latencyMs, excerpt, error: `HTTP ${res.status}: ${why}` };
  } catch (err) {
    return {
      ok: false,
      latencyMs: Date.now() - started,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

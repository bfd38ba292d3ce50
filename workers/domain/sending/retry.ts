import type { MessageResult } from "../../mail/smtp/client";
import type { SendOutcome } from "./ledger";

/** Retries wait base × 2^(attempt-1), ± 50% jitter, at most this long. */
const MAX_RETRY_SECONDS = 6 * 3600;

/** The retry time for a send that failed temporarily on its `attempts`-th try. */
export function retryDelaySeconds(baseSeconds: number, attempts: number, random = Math.random()): number {
  const exp = Math.min(MAX_RETRY_SECONDS, baseSeconds * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.round(exp * (0.5 + random)));
}

export interface RetryPolicy {
  retryBaseSeconds: number;
  maxAttempts: number;
}

/**
 * What one SMTP result means for the ledger, for every kind of send: accepted is sent; a 5xx is
 * a bounce; a 4xx, a timeout or a broken connection is retried with backoff until `maxAttempts`,
 * then failed.
 */
export function outcomeOf(
  send: { id: number; attempts: number },
  result: MessageResult,
  messageId: string,
  policy: RetryPolicy,
): SendOutcome {
  const { id, attempts } = send;
  if (result.accepted) return { id, kind: "sent", messageId, code: 250, response: result.response };
  const r = result.recipients[0];
  const code = r?.code ?? result.error?.code;
  const enhanced = r?.enhanced ?? result.error?.enhanced;
  const error = r?.message ?? result.error?.message ?? "not accepted";
  const temporary = code === undefined ? (result.error?.temporary ?? true) : code < 500;
  if (!temporary) return { id, kind: "bounced", code, enhanced, error };
  // The relay itself failing (connection, TLS, AUTH, MAIL, DATA), not one recipient deferred
  // (a 4xx to RCPT, such as greylisting): only the former counts towards the automatic pause.
  const relayError = result.error?.step !== "rcpt";
  if (attempts >= policy.maxAttempts)
    return {
      id,
      kind: "failed",
      code,
      enhanced,
      error: `${error} (gave up after ${attempts} attempts)`,
      relayError,
    };
  const retryAt = new Date(Date.now() + retryDelaySeconds(policy.retryBaseSeconds, attempts) * 1000);
  return { id, kind: "retry", retryAt, code, enhanced, error, relayError };
}

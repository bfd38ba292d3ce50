import type { sends } from "../../../schema/sends";
import type { Env } from "../../env";
import { sendViaEmailService } from "../../mail/email-service";
import type { Lease } from "./lease";
import type { SendOutcome } from "./ledger";
import type { BuiltOutbound } from "./outbound";
import { RelayBudget } from "./relays/limiter";
import type { ResolvedEmailService } from "./relays/relays";
import { outcomeOf, type RetryPolicy } from "./retry";

/**
 * One transactional message through Cloudflare Email Service, as an outcome for the ledger like
 * an SMTP relay's: sent (with Cloudflare's message id, which its delivery and bounce events carry),
 * a retry (rate or daily limit, Cloudflare unavailable), a bounce (the recipient is on Cloudflare's
 * suppression list: the same bounce rules as an SMTP 5xx), or failed (a setup problem such as a
 * sender domain not onboarded, which no retry fixes). "withheld" when the lease was lost before the
 * hand-over, as with SMTP's commit check.
 */
export async function sendThroughEmailService(
  env: Env,
  row: Pick<typeof sends.$inferSelect, "id" | "attempts" | "email">,
  built: BuiltOutbound,
  relay: ResolvedEmailService,
  lease: Lease,
  policy: RetryPolicy,
): Promise<SendOutcome | "withheld"> {
  const { id } = row;
  const budget = new RelayBudget(env, relay);
  if ((await budget.take(1, 10_000)) === 0)
    return outcomeOf(row, temporary("the relay's rate limit is exhausted for now"), "", policy);
  if (!lease.mayCommit()) return "withheld";
  const { parts } = built;
  const result = await sendViaEmailService(env, {
    from: parts.from,
    to: row.email,
    subject: parts.subject,
    html: parts.html,
    text: parts.text,
    replyTo: parts.replyTo,
    headers: { "X-Edgepost-Send": String(id) },
  });
  if (result.ok) return { id, kind: "sent", messageId: result.messageId };
  const error = `Cloudflare Email Service: ${result.code}: ${result.message}`;
  if (result.recipient) return { id, kind: "bounced", code: 550, error };
  if (result.temporary) {
    if (result.code === "E_RATE_LIMIT_EXCEEDED") await budget.slowDown();
    return outcomeOf(row, temporary(error), "", policy);
  }
  return { id, kind: "failed", error, relayError: true };
}

const temporary = (message: string) => ({
  accepted: false,
  recipients: [],
  error: { step: "data" as const, temporary: true, message },
});

import { eq, sql } from "drizzle-orm";
import { sends } from "../../../schema/sends";
import { subscribers } from "../../../schema/subscribers";
import type { Env } from "../../env";
import { classifySmtpReply } from "../../inbound/bounce/classify";
import type { Database } from "../../lib/db";
import { AppError, RuleError } from "../../lib/errors";
import { domainOf } from "../../mail/mime";
import type { Actor } from "../actor";
import { checkEmail } from "../audience/email";
import { publicBaseUrl } from "../audience/subscription-links";
import { isSuppressed } from "../audience/suppressions";
import { emitAudit } from "../audit";
import { recordBounces } from "../bounces/rules";
import { messageLinks, subscriberVars, templateVars } from "../content/render-context";
import { getTemplate } from "../content/templates";
import { getSettings } from "../settings";
import { ingestEvents } from "../tracking/ingest";
import { retryDelaySeconds } from "./campaign-chunk";
import { compiledVersion } from "./campaign-context";
import { dkimSignerFor, signingDomainFor } from "./domains";
import { isThrottleReply, RelayBudget } from "./limiter";
import { buildOutbound, type SenderContext } from "./outbound";
import { resolveRelay } from "./relays";
import { SmtpLane } from "./smtp-lane";

export interface TransactionalInput {
  templateId: string;
  to: string;
  data?: Record<string, unknown>;
  fromEmail?: string;
  fromName?: string;
  replyTo?: string;
  relayId?: string;
}

export interface TransactionalResult {
  id: number;
  status: "sent" | "queued";
  messageId: string | null;
  /** When queued: the relay was busy or failed for now; it is retried from the sends queue. */
  retryAt?: string;
}

/** The sends queue message that retries a transactional send (the data travels with it). */
export interface TransactionalJob {
  type: "transactional";
  sendId: number;
  input: TransactionalInput;
}

/**
 * Sends one templated message now, outside campaigns: same rendering, tracking, DKIM and relay
 * (with its rate limit) as campaigns; refuses suppressed addresses (422); records the send in the
 * ledger. A relay that is busy or fails for now leaves it queued for a retry (the API answers 202);
 * a permanent refusal is a bounce (422 with the relay's reply).
 */
export async function sendTransactional(
  { db, actor, env }: { db: Database; actor: Actor; env: Env },
  input: TransactionalInput,
): Promise<{ result: TransactionalResult; retry?: { job: TransactionalJob; delaySeconds: number } }> {
  const to = checkEmail(input.to);
  if (!to.ok)
    throw new AppError("validation_failed", `to: ${to.reason}`, [{ path: ["to"], message: to.reason }]);
  if (await isSuppressed(db, to.email)) {
    throw RuleError(
      `${to.email} is suppressed (bounced, complained, unsubscribed or blocked) and is never sent to`,
      {
        code: "suppressed",
      },
    );
  }
  const template = await getTemplate(db, input.templateId);
  const settings = await getSettings(db);
  const fromEmail = input.fromEmail ?? settings.defaultFromEmail;
  if (!fromEmail) throw RuleError("No sender: pass fromEmail, or set a default sender in the settings");
  const [sub] = await db
    .select()
    .from(subscribers)
    .where(sql`lower(${subscribers.email}) = lower(${to.email})`);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sends)
      .values({
        templateId: template.id,
        templateVersion: template.currentVersion,
        subscriberId: sub?.id ?? null,
        email: to.email,
        status: "sending",
        attempts: 0,
        claimedAt: sql`now()`,
      })
      .returning({ id: sends.id });
    if (!row) throw new Error("insert returned nothing");
    await emitAudit(tx, actor, {
      action: "transactional.send",
      entity: "send",
      entityId: String(row.id),
      after: { to: to.email, templateId: template.id, templateVersion: template.currentVersion },
    });
    return row.id;
  });
  return deliverTransactional(db, env, id, { ...input, fromEmail, to: to.email });
}

/** Renders and sends one transactional ledger row (first try, or a retry from the queue). */
export async function deliverTransactional(
  db: Database,
  env: Env,
  sendId: number,
  input: TransactionalInput,
): Promise<{ result: TransactionalResult; retry?: { job: TransactionalJob; delaySeconds: number } }> {
  const [row] = await db
    .update(sends)
    .set({ status: "sending", attempts: sql`${sends.attempts} + 1`, claimedAt: sql`now()` })
    .where(sql`${sends.id} = ${sendId} and ${sends.status} in ('sending', 'queued')`)
    .returning();
  if (!row) return { result: { id: sendId, status: "sent", messageId: null } };
  const settings = await getSettings(db);
  const fromEmail = input.fromEmail ?? settings.defaultFromEmail;
  const relay = await resolveRelay(db, env, input.relayId, settings.defaultRelayId);
  const domain = await signingDomainFor(db, fromEmail);
  const ctx: SenderContext = {
    env,
    baseUrl: publicBaseUrl(env),
    from: { name: input.fromName ?? settings.defaultFromName, address: fromEmail },
    replyTo: input.replyTo
      ? { address: input.replyTo }
      : settings.defaultReplyTo
        ? { address: settings.defaultReplyTo }
        : null,
    bounceDomain: domain?.bounceDomain ?? settings.bounceDomain ?? domainOf(fromEmail),
    signer: domain ? await dkimSignerFor(env, domain) : null,
    trackOpens: settings.trackOpens,
    trackClicks: settings.trackClicks,
    listUnsubscribe: false,
  };
  const [sub] = row.subscriberId
    ? await db.select().from(subscribers).where(eq(subscribers.id, row.subscriberId))
    : [];
  const subscriber = sub
    ? subscriberVars(sub)
    : { id: "", email: row.email, name: "", fields: {}, created_at: "" };
  const links = sub
    ? await messageLinks(env, { subscriberId: sub.id })
    : { unsubscribe_url: "", preferences_url: "", view_in_browser_url: "" };
  const vars = templateVars({
    subscriber,
    links,
    postalAddress: settings.postalAddress,
    organizationName: settings.organizationName,
    data: input.data,
  });
  const compiled = await compiledVersion(db, row.templateId ?? input.templateId, row.templateVersion ?? 1);
  const built = await buildOutbound(ctx, {
    sendId,
    email: row.email,
    subscriberId: row.subscriberId,
    campaignId: null,
    variantId: null,
    compiled,
    vars,
  });
  const budget = new RelayBudget(env, relay);
  const job: TransactionalJob = { type: "transactional", sendId, input };
  const later = async (delaySeconds: number, error: string, code?: number, enhanced?: string) => {
    const retryAt = new Date(Date.now() + delaySeconds * 1000);
    const final = row.attempts >= settings.sending.maxAttempts;
    await db
      .update(sends)
      .set({
        status: final ? "failed" : "queued",
        nextRetryAt: final ? null : retryAt,
        lastCode: code ?? null,
        lastEnhanced: enhanced ?? null,
        lastError: error.slice(0, 1000),
        claimedAt: null,
      })
      .where(eq(sends.id, sendId));
    if (final)
      throw new AppError(
        "unavailable",
        `The relay could not take the message after ${row.attempts} attempts: ${error}`,
      );
    return {
      result: { id: sendId, status: "queued" as const, messageId: null, retryAt: retryAt.toISOString() },
      retry: { job, delaySeconds },
    };
  };
  if ((await budget.take(1, 10_000)) === 0) return later(5, "the relay's rate limit is exhausted for now");
  const lane = new SmtpLane(relay.smtp);
  const result = await lane.send(built.message).finally(() => lane.close());
  const r = result.recipients[0];
  const code = r?.code ?? result.error?.code;
  const enhanced = r?.enhanced ?? result.error?.enhanced;
  const message = r?.message ?? result.error?.message ?? "";
  if (result.accepted) {
    await db
      .update(sends)
      .set({
        status: "sent",
        sentAt: sql`now()`,
        messageId: built.messageId,
        lastCode: 250,
        lastError: null,
        claimedAt: null,
        nextRetryAt: null,
      })
      .where(eq(sends.id, sendId));
    await ingestEvents(db, [
      {
        kind: "sent",
        dedupeKey: `sent:${sendId}`,
        occurredAt: new Date(),
        sendId,
        subscriberId: row.subscriberId,
      },
    ]);
    return { result: { id: sendId, status: "sent", messageId: built.messageId } };
  }
  if (isThrottleReply(code, enhanced, message)) await budget.slowDown();
  const temporary = code === undefined ? (result.error?.temporary ?? true) : code < 500;
  if (temporary)
    return later(retryDelaySeconds(settings.sending.retryBaseSeconds, row.attempts), message, code, enhanced);
  await db
    .update(sends)
    .set({
      status: "bounced",
      lastCode: code ?? null,
      lastEnhanced: enhanced ?? null,
      lastError: message.slice(0, 1000),
      claimedAt: null,
    })
    .where(eq(sends.id, sendId));
  const verdict = classifySmtpReply({ code, enhanced, text: message });
  await recordBounces(db, [
    {
      email: row.email,
      hard: verdict.hard,
      status: verdict.status,
      reason: verdict.reason,
      diagnostic: message,
      source: "smtp",
      sendId,
      subscriberId: row.subscriberId,
    },
  ]);
  throw RuleError(`The relay refused the message: ${message}`, {
    code: "rejected",
    smtpCode: code,
    enhanced,
    sendId: String(sendId),
  });
}

import { eq, sql } from "drizzle-orm";
import { sends } from "../../../schema/sends";
import { subscribers } from "../../../schema/subscribers";
import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import { AppError, NotFoundError, RuleError } from "../../lib/errors";
import { domainOf } from "../../mail/mime/mime";
import { checkEmail } from "../audience/email";
import { publicBaseUrl } from "../audience/subscriptions/links";
import { isSuppressed } from "../audience/suppressions/suppressions";
import { emitAudit } from "../audit";
import { messageLinks, subscriberVars, templateVars } from "../content/render-context";
import { getTemplate } from "../content/templates";
import { type DomainContext, type JobQueue, queuesIn } from "../context";
import type { SendJob } from "../jobs";
import { getSettings, type OrgSettings } from "../settings";
import { compiledVersion } from "./campaign-context";
import { dkimSignerFor, signingDomainFor } from "./domains/domains";
import { sendThroughEmailService } from "./email-service";
import { Lease } from "./lease";
import { claimSend, releaseSends, type SendOutcome } from "./ledger";
import { type BuiltOutbound, buildOutbound, type SenderContext } from "./outbound";
import { isThrottleReply, RelayBudget } from "./relays/limiter";
import { assertRelayExists, resolveRelay, resolveTransactionalRelay } from "./relays/relays";
import { SmtpLane } from "./relays/smtp-lane";
import { outcomeOf } from "./retry";
import { recordDurably, settleOutcomes } from "./settle";

export interface TransactionalInput {
  templateId: string;
  to: string;
  data?: Record<string, unknown>;
  fromEmail?: string;
  fromName?: string;
  replyTo?: string;
  relayId?: string;
  /** Open and click tracking; default: the organisation's settings. */
  track?: boolean;
}

/**
 * A workflow send node's message, queued by the engine (`domain/workflows/steps.ts`) in the same
 * ledger: built like campaign mail (unsubscribe link and List-Unsubscribe headers, the
 * organisation's tracking, suppression checked again at send time).
 */
export interface WorkflowSendPayload {
  kind: "workflow";
  templateId: string;
  fromEmail?: string;
  fromName?: string;
  subject?: string;
  workflowId: string;
  nodeId: string;
}

type Payload = TransactionalInput | WorkflowSendPayload;
const isWorkflowSend = (p: Payload): p is WorkflowSendPayload =>
  (p as WorkflowSendPayload).kind === "workflow";

export interface TransactionalResult {
  id: number;
  status: "sent" | "queued";
  messageId: string | null;
  /** When queued: the relay was busy or failed for now; it is retried from the sends queue. */
  retryAt?: string;
}

/** An attempt's answer, and the retry to queue when there is one. */
type Delivery = {
  result: TransactionalResult;
  retry?: { job: SendJob; delaySeconds: number };
};

/**
 * Sends one templated message now, outside campaigns, through the same ledger as campaigns: the
 * request is recorded as a queued send (with its data) before anything is tried, so a crash, a
 * lost queue message or a failing relay loses nothing: the queue retries it, and the cron sweeps
 * up any send whose message was lost. Suppressed addresses are refused (422); a permanent refusal
 * by the relay is a bounce (422 with its reply).
 */
export async function sendTransactional(
  ctx: DomainContext & { env: Env },
  input: TransactionalInput,
  leaseSeconds: number,
): Promise<TransactionalResult> {
  const { db, actor, env } = ctx;
  const to = checkEmail(input.to);
  if (!to.ok)
    throw new AppError("validation_failed", `to: ${to.reason}`, [{ path: ["to"], message: to.reason }]);
  if (await isSuppressed(db, to.email)) {
    throw RuleError(
      `${to.email} is suppressed (bounced, complained, unsubscribed or blocked) and is never sent to`,
      { code: "suppressed" },
    );
  }
  const template = await getTemplate(db, input.templateId);
  // Checked before the send is recorded: an unknown relay is a 400 that writes nothing.
  if (input.relayId) await assertRelayExists(db, input.relayId);
  const settings = await getSettings(db);
  const fromEmail = input.fromEmail ?? settings.defaultFromEmail;
  if (!fromEmail) throw RuleError("No sender: pass fromEmail, or set a default sender in the settings");
  const [sub] = await db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(sql`lower(${subscribers.email}) = lower(${to.email})`);
  // The template's tracking unless the send says otherwise, fixed now: a retry sends the same.
  const payload: TransactionalInput = {
    ...input,
    fromEmail,
    to: to.email,
    track: input.track ?? template.track,
  };
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sends)
      .values({
        templateId: template.id,
        templateVersion: template.currentVersion,
        subscriberId: sub?.id ?? null,
        email: to.email,
        status: "queued",
        payload,
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
  return queueRetry(queuesIn(ctx).sends, await attempt(db, env, id, leaseSeconds));
}

/**
 * The sends consumer's part: (re)tries a transactional send from the queue, and queues its next
 * retry when it fails for now. An AppError means it will never be sent (and is recorded so).
 */
export async function retryTransactional(
  db: Database,
  env: Env,
  queue: JobQueue<SendJob>,
  job: { sendId: number; input?: unknown },
  leaseSeconds: number,
  /** The consumer lane's open SMTP connections by relay: consecutive sends reuse one. */
  pool?: Map<string, SmtpLane>,
): Promise<TransactionalResult> {
  const legacy = job.input as TransactionalInput | undefined;
  return queueRetry(queue, await attempt(db, env, job.sendId, leaseSeconds, legacy, pool));
}

async function queueRetry(queue: JobQueue<SendJob>, d: Delivery): Promise<TransactionalResult> {
  if (d.retry) await queue.send(d.retry.job, { delaySeconds: d.retry.delaySeconds });
  return d.result;
}

/**
 * Claims, builds and sends one transactional ledger row (the first try, or a retry from the
 * queue or the sweep). A send that is not claimable (done, or claimed by a live sender) is
 * reported as it stands; nothing is sent twice.
 */
async function attempt(
  db: Database,
  env: Env,
  sendId: number,
  leaseSeconds: number,
  legacyInput?: TransactionalInput,
  pool?: Map<string, SmtpLane>,
): Promise<Delivery> {
  const token = crypto.randomUUID();
  const asked = Date.now();
  const row = await claimSend(db, { id: sendId, leaseSeconds, token });
  if (!row) return standing(db, sendId);
  const lease = new Lease(db, token, [sendId], leaseSeconds * 1000, asked).start();
  try {
    const input = (row.payload as Payload | null) ?? legacyInput;
    const outcome = await tryOnce(db, env, row, input, lease, pool);
    if (outcome === "withheld") {
      await releaseSends(db, [sendId], token);
      return queuedFor(sendId, leaseSeconds);
    }
    const written = await recordDurably(db, outcome, lease, null);
    const party = {
      id: sendId,
      email: row.email,
      subscriberId: row.subscriberId,
      campaignId: null,
      variantId: null,
    };
    if (written.recorded) await settleOutcomes(db, [party], [outcome]);
    return answer(outcome);
  } finally {
    await lease.stop();
  }
}

/** Builds the message and offers it to the relay once: the outcome, or "withheld" before commit. */
async function tryOnce(
  db: Database,
  env: Env,
  row: typeof sends.$inferSelect,
  input: Payload | undefined,
  lease: Lease,
  pool?: Map<string, SmtpLane>,
): Promise<SendOutcome | "withheld"> {
  const id = row.id;
  if (!input)
    return { id, kind: "failed", error: "the request of this send was not kept; it cannot be built" };
  if (isWorkflowSend(input) && (await isSuppressed(db, row.email)))
    return { id, kind: "skipped", error: "suppressed (bounced, complained, unsubscribed or blocked)" };
  const settings = await getSettings(db);
  const built = await buildTransactional(db, env, row, input, settings).catch((err: unknown) => ({
    error: err instanceof Error ? err.message : String(err),
  }));
  if ("error" in built) return { id, kind: "failed", error: `could not build the message: ${built.error}` };
  // Workflow mail is marketing mail: SMTP relays only. Transactional mail may go through
  // Cloudflare Email Service, named by the call or by the settings.
  const relay = isWorkflowSend(input)
    ? await resolveRelay(db, env, undefined, settings.defaultRelayId)
    : await resolveTransactionalRelay(db, env, input.relayId, [
        settings.transactionalRelayId,
        settings.defaultRelayId,
      ]);
  if ("kind" in relay) return sendThroughEmailService(env, row, built, relay, lease, settings.sending);
  const budget = new RelayBudget(env, relay);
  if ((await budget.take(1, 10_000)) === 0) return outcomeOf(row, busy, "", settings.sending);
  const result = await sendOver(pool, relay, built.message, lease);
  if (result.withheld) return "withheld";
  const r = result.recipients[0];
  if (!result.accepted && isThrottleReply(r?.code ?? result.error?.code, r?.enhanced, r?.message))
    await budget.slowDown();
  return outcomeOf(row, result, built.messageId, settings.sending);
}

/**
 * Sends over the lane's open connection to the relay when there is one (kept for the next send),
 * else over a connection of its own, closed after.
 */
async function sendOver(
  pool: Map<string, SmtpLane> | undefined,
  relay: { id: string; smtp: ConstructorParameters<typeof SmtpLane>[0] },
  message: BuiltOutbound["message"],
  lease: Lease,
) {
  if (!pool) {
    const own = new SmtpLane(relay.smtp);
    return own.send(message, { mayCommit: lease.mayCommit }).finally(() => own.close());
  }
  let lane = pool.get(relay.id);
  if (!lane) {
    lane = new SmtpLane(relay.smtp);
    pool.set(relay.id, lane);
  }
  return lane.send(message, { mayCommit: lease.mayCommit });
}

/** The relay's budget stayed empty: a temporary failure like any other, retried with backoff. */
const busy = {
  accepted: false,
  recipients: [],
  error: {
    step: "connect" as const,
    temporary: true,
    message: "the relay's rate limit is exhausted for now",
  },
};

function queuedFor(sendId: number, delaySeconds: number): Delivery {
  const retryAt = new Date(Date.now() + delaySeconds * 1000).toISOString();
  return {
    result: { id: sendId, status: "queued", messageId: null, retryAt },
    retry: { job: { type: "transactional", sendId }, delaySeconds },
  };
}

/** What the caller hears: sent, queued for a retry, or the reason it will never be sent. */
function answer(o: SendOutcome): Delivery {
  if (o.kind === "sent") return { result: { id: o.id, status: "sent", messageId: o.messageId } };
  if (o.kind === "retry")
    return queuedFor(o.id, Math.max(1, Math.ceil((o.retryAt.getTime() - Date.now()) / 1000)));
  if (o.kind === "bounced")
    throw RuleError(`The relay refused the message: ${o.error}`, {
      code: "rejected",
      smtpCode: o.code,
      enhanced: o.enhanced,
      sendId: String(o.id),
    });
  if (o.kind === "failed" && o.error.startsWith("could not build"))
    throw RuleError(`The message could not be built: ${o.error}`, {
      code: "render_failed",
      sendId: String(o.id),
    });
  throw new AppError("unavailable", `The message could not be sent: ${o.error}`, {
    sendId: String(o.id),
  });
}

/** A send someone else holds, or one already final: how it stands. */
async function standing(db: Database, sendId: number): Promise<Delivery> {
  const [row] = await db.select().from(sends).where(eq(sends.id, sendId));
  if (!row) throw NotFoundError("Send");
  if (row.status === "sent") return { result: { id: sendId, status: "sent", messageId: row.messageId } };
  const retryAt = row.nextRetryAt?.toISOString();
  return { result: { id: sendId, status: "queued", messageId: null, ...(retryAt ? { retryAt } : {}) } };
}

async function buildTransactional(
  db: Database,
  env: Env,
  row: typeof sends.$inferSelect,
  input: Payload,
  settings: OrgSettings,
): Promise<BuiltOutbound> {
  const fromEmail = input.fromEmail ?? settings.defaultFromEmail;
  if (!fromEmail) throw new Error("no sender: pass fromEmail, or set a default sender in the settings");
  const domain = await signingDomainFor(db, fromEmail);
  const workflow = isWorkflowSend(input);
  const track = workflow ? true : (input.track ?? true);
  const ctx: SenderContext = {
    env,
    baseUrl: publicBaseUrl(env),
    from: { name: input.fromName ?? settings.defaultFromName, address: fromEmail },
    replyTo:
      !workflow && input.replyTo
        ? { address: input.replyTo }
        : settings.defaultReplyTo
          ? { address: settings.defaultReplyTo }
          : null,
    bounceDomain: domain?.bounceDomain ?? settings.bounceDomain ?? domainOf(fromEmail),
    signer: domain ? await dkimSignerFor(env, domain) : null,
    trackOpens: track && settings.trackOpens,
    trackClicks: track && settings.trackClicks,
    listUnsubscribe: workflow,
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
    data: workflow ? undefined : input.data,
  });
  const compiled = await compiledVersion(db, row.templateId ?? input.templateId, row.templateVersion ?? 1);
  return buildOutbound(ctx, {
    sendId: row.id,
    email: row.email,
    subscriberId: row.subscriberId,
    campaignId: null,
    variantId: null,
    compiled,
    vars,
    ...(workflow && input.subject ? { subject: input.subject } : {}),
  });
}

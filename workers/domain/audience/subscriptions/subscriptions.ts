import { and, eq, inArray, sql } from "drizzle-orm";
import { listMemberships, lists } from "../../../../schema/lists";
import { subscribers } from "../../../../schema/subscribers";
import type { SuppressionReason } from "../../../../schema/suppressions";
import type { Database } from "../../../lib/db";
import { AppError, RuleError } from "../../../lib/errors";
import type { Actor } from "../../actor";
import { emitAudit } from "../../audit";
import type { DomainContext } from "../../context";
import { hitRateLimit } from "../../rate-limit";
import { emitWebhookEvents } from "../../webhooks/emit";
import { checkEmail, emailKey } from "../email";
import { subscriberData } from "../subscribers";
import { suppressionReason } from "../suppressions/suppressions";
import type { PendingMail } from "./confirmations";
import { isUuid } from "./links";
import { checkSignupValues, offeredFields } from "./signup-form";

/**
 * Self-service subscription: the public form (confirmations.ts, unsubscribe.ts and preferences.ts
 * hold the rest). Everything here is done by the public, or by the subscriber holding a signed
 * link; answers never depend on whether an address was already known.
 */

type SubscriberRow = typeof subscribers.$inferSelect;
type ListRow = typeof lists.$inferSelect;

/** Statuses after which the public form changes nothing (the address must not be mailed). */
const BLOCKED = new Set(["bounced", "complained", "blocklisted"]);
/** An unconfirmed member who submits the form again gets a new mail at most this often. */
const RESEND_AFTER_MS = 5 * 60 * 1000;
export const MAX_FORM_LISTS = 20;
const MAX_NAME_LENGTH = 200;

/** The actor of a subscriber's own action: public, labelled with their address for the audit log. */
export const asSubscriber = (actor: Actor, email: string): Actor => ({
  ...actor,
  type: "public",
  label: email,
});

export interface SubscribeInput {
  email: unknown;
  name?: unknown;
  listIds: unknown;
  /** Custom field values: only those the chosen lists' signup forms ask for (`signup-form.ts`). */
  fields?: unknown;
}

export interface SubscribeResult {
  /** True when at least one chosen list is double opt-in: the answer says "check your inbox". */
  confirmationRequired: boolean;
  /** Confirmations to mail (after commit); null when there is nothing to send. */
  pending: PendingMail | null;
}

function badInput(path: string, message: string): AppError {
  return new AppError("validation_failed", message, [{ path: [path], message }]);
}

/**
 * The chosen public lists; an unknown and a private id are refused alike (400), an archived one
 * says it takes no one new (422).
 */
export async function publicListsFor(db: Database, raw: unknown): Promise<ListRow[]> {
  const ids = Array.isArray(raw) ? raw : typeof raw === "string" ? [raw] : [];
  const unique = [...new Set(ids.filter((v): v is string => typeof v === "string" && v !== ""))];
  if (unique.length === 0) throw badInput("listIds", "Choose at least one list");
  if (unique.length > MAX_FORM_LISTS) throw badInput("listIds", `Choose at most ${MAX_FORM_LISTS} lists`);
  const bad = unique.filter((id) => !isUuid(id));
  const rows = bad.length
    ? []
    : await db
        .select()
        .from(lists)
        .where(and(inArray(lists.id, unique), eq(lists.visibility, "public")));
  const missing = bad.length ? bad : unique.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw badInput("listIds", `No public list with id ${missing.join(", ")}`);
  if (rows.some((r) => r.archivedAt !== null)) {
    throw RuleError("This list no longer takes new subscribers", [
      { path: ["listIds"], message: "archived" },
    ]);
  }
  return rows;
}

/**
 * A form subscription: validates the address, then finds or creates the subscriber
 * (case-insensitively) and adds memberships with the form's consent record. Single opt-in lists
 * are confirmed at once; double opt-in lists wait unconfirmed. An address that left (unsubscribed
 * from the list, or from everything) comes back only by confirming from its own mailbox, whatever
 * the list's opt-in: its memberships stay as they are until then. What needs a mail is returned
 * in `pending` for `sendConfirmationMail`. A confirmed member stays as is, and other suppressions
 * or blocked addresses change nothing; every case gives the same answer, so the form never tells
 * whether an address is known.
 */
export async function subscribe(
  { db, actor, queues }: DomainContext,
  input: SubscribeInput,
): Promise<SubscribeResult> {
  const check = checkEmail(input.email);
  if (!check.ok) throw badInput("email", `Invalid email: ${check.reason}`);
  const email = check.email;
  const name =
    typeof input.name === "string" && input.name.trim() ? input.name.trim().slice(0, MAX_NAME_LENGTH) : null;
  const chosen = await publicListsFor(db, input.listIds);
  const offered = await offeredFields(db, chosen);
  if (offered.nameRequired && !name) throw badInput("name", "Name is required");
  const values = checkSignupValues(offered.fields, input.fields);
  const confirmationRequired = chosen.some((l) => l.optIn === "double");
  const suppressed = await suppressionReason(db, email);
  if (suppressed && suppressed !== "unsubscribe") return { confirmationRequired, pending: null };

  const pending = await db.transaction((tx) =>
    subscribeToLists({ db: tx, actor, queues }, { email, name, values, chosen, suppressed }),
  );
  return { confirmationRequired, pending };
}

type MembershipRow = typeof listMemberships.$inferSelect;
type FormConsent = Pick<MembershipRow, "source" | "ip" | "userAgent" | "consentedAt">;

/** The form's changes in one transaction: the subscriber, each chosen list, and the audit row. */
async function subscribeToLists(
  { db: tx, actor, queues }: DomainContext,
  form: {
    email: string;
    name: string | null;
    values: Record<string, unknown>;
    chosen: ListRow[];
    suppressed: SuppressionReason | null;
  },
): Promise<PendingMail | null> {
  const sub = await findOrCreateSubscriber(tx, form.email, form.name, form.values);
  if (BLOCKED.has(sub.status)) return null;
  const filled = await fillMissingFields(tx, sub, form.values);
  const returning = sub.status === "unsubscribed" || form.suppressed === "unsubscribe";
  const existing = await lockMemberships(
    tx,
    sub.id,
    form.chosen.map((l) => l.id),
  );
  const consent: FormConsent = {
    source: "form",
    ip: actor.ip,
    userAgent: actor.userAgent?.slice(0, 500) ?? null,
    consentedAt: new Date(),
  };
  const waiting: string[] = [];
  const changed: string[] = [];
  const comeback: string[] = [];
  for (const list of form.chosen) {
    const m = existing.find((e) => e.listId === list.id);
    const status = list.optIn === "double" || returning ? ("unconfirmed" as const) : ("confirmed" as const);
    const outcome = await joinList(tx, sub.id, list.id, m, status, consent);
    if (outcome === "comeback") comeback.push(list.id);
    else if (outcome === "resend") waiting.push(list.id);
    else if (outcome === "changed") {
      changed.push(list.id);
      if (status === "unconfirmed") waiting.push(list.id);
    }
  }
  const askBack = comeback.length > 0 && (await mayAskBack(tx, sub.id));
  if (askBack) waiting.push(...comeback);
  if (changed.length > 0 || askBack || filled.length > 0) {
    await emitAudit(tx, asSubscriber(actor, sub.email), {
      action: "subscription.create",
      entity: "subscriber",
      entityId: sub.id,
      after: {
        listIds: changed,
        source: "form",
        pendingConfirmation: waiting,
        ...(filled.length > 0 ? { fieldsSet: filled } : {}),
      },
    });
    if (changed.length > 0)
      await emitWebhookEvents({ db: tx, queues }, [
        {
          type: "list.membership_changed",
          data: { subscriber: subscriberData(sub), added: changed, removed: [], source: "form" },
        },
      ]);
  }
  return waiting.length > 0
    ? { subscriber: { id: sub.id, email: sub.email }, listIds: waiting, comeback: returning || askBack }
    : null;
}

/** The subscriber's memberships of these lists, locked for the change. */
async function lockMemberships(
  tx: Database,
  subscriberId: string,
  listIds: string[],
): Promise<MembershipRow[]> {
  return tx
    .select()
    .from(listMemberships)
    .where(and(eq(listMemberships.subscriberId, subscriberId), inArray(listMemberships.listId, listIds)))
    .for("update");
}

/**
 * One chosen list: a new membership, an unconfirmed one confirmed (single opt-in) or asked again,
 * or nothing. `comeback` is a membership that was unsubscribed: reopened by the confirmation link
 * alone; `resend` is a confirmation to send again with nothing else changed.
 */
async function joinList(
  tx: Database,
  subscriberId: string,
  listId: string,
  m: MembershipRow | undefined,
  status: "unconfirmed" | "confirmed",
  consent: FormConsent,
): Promise<"comeback" | "changed" | "resend" | "unchanged"> {
  if (m?.status === "unsubscribed") return "comeback";
  const thisMembership = and(
    eq(listMemberships.listId, listId),
    eq(listMemberships.subscriberId, subscriberId),
  );
  if (!m) {
    await tx.insert(listMemberships).values({ listId, subscriberId, status, ...consent });
    return "changed";
  }
  if (m.status === "unconfirmed" && status === "confirmed") {
    await tx
      .update(listMemberships)
      .set({ status, ...consent, confirmedAt: null, unsubscribedAt: null })
      .where(thisMembership);
    return "changed";
  }
  if (m.status === "unconfirmed" && Date.now() - m.updatedAt.getTime() > RESEND_AFTER_MS) {
    // Asked again (the first mail got lost?): send another, but not more often than this.
    await tx.update(listMemberships).set({ updatedAt: new Date() }).where(thisMembership);
    return "resend";
  }
  return "unchanged"; // confirmed already, or a confirmation went out a moment ago
}

/**
 * Whether an address that left may be mailed a way back now: at most one such mail per subscriber
 * every RESEND_AFTER_MS, however often strangers submit it (its membership rows do not change, so
 * their update times cannot serve as for unconfirmed members).
 */
async function mayAskBack(tx: Database, subscriberId: string): Promise<boolean> {
  try {
    await hitRateLimit(tx, `comeback:${subscriberId}`, { limit: 1, windowSeconds: RESEND_AFTER_MS / 1000 });
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === "rate_limited") return false;
    throw err;
  }
}

/**
 * A known subscriber's empty fields take the form's values; set ones are never overwritten, since
 * anyone can submit the form with anyone's address. Returns the keys it set (for the audit row).
 */
async function fillMissingFields(
  tx: Database,
  sub: SubscriberRow,
  values: Record<string, unknown>,
): Promise<string[]> {
  const missing = Object.entries(values).filter(([key]) => sub.fields[key] === undefined);
  if (missing.length === 0) return [];
  await tx
    .update(subscribers)
    .set({ fields: sql`${JSON.stringify(Object.fromEntries(missing))}::jsonb || ${subscribers.fields}` })
    .where(eq(subscribers.id, sub.id));
  return missing.map(([key]) => key);
}

async function findOrCreateSubscriber(
  tx: Database,
  email: string,
  name: string | null,
  values: Record<string, unknown>,
): Promise<SubscriberRow> {
  const byEmail = sql`lower(${subscribers.email}) = ${emailKey(email)}`;
  const [found] = await tx.select().from(subscribers).where(byEmail).for("update");
  if (found) return found;
  // A concurrent request may create the same address: then read the row it made.
  const [created] = await tx
    .insert(subscribers)
    .values({ email, name, fields: values })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [raced] = await tx.select().from(subscribers).where(byEmail).for("update");
  if (!raced) throw new Error("subscriber vanished during subscription");
  return raced;
}

import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { listMemberships, lists } from "../../../schema/lists";
import { subscribers } from "../../../schema/subscribers";
import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import { AppError, NotFoundError } from "../../lib/errors";
import { html } from "../../lib/html";
import { sendSystemMail } from "../../mail/system";
import type { Actor } from "../actor";
import { emitAudit } from "../audit";
import { checkEmail, emailKey } from "./email";
import { confirmToken, isUuid, publicBaseUrl, readConfirmToken } from "./subscription-links";
import { isSuppressed } from "./suppressions";

/**
 * Self-service subscription: the public form and double opt-in confirmation (unsubscribe.ts and
 * preferences.ts hold the rest). Everything here is done by the public, or by the subscriber
 * holding a signed link; answers never depend on whether an address was already known.
 */

export interface Deps {
  db: Database;
  actor: Actor;
}

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
}

export interface SubscribeResult {
  /** True when at least one chosen list is double opt-in: the answer says "check your inbox". */
  confirmationRequired: boolean;
  /** Confirmations to mail (after commit); null when there is nothing to send. */
  pending: { subscriber: { id: string; email: string; name: string | null }; listIds: string[] } | null;
}

function badInput(path: string, message: string): AppError {
  return new AppError("validation_failed", message, [{ path: [path], message }]);
}

/** The chosen public lists; an unknown and a private id are refused alike. */
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
  return rows;
}

/**
 * A form subscription: validates the address, then finds or creates the subscriber
 * (case-insensitively) and adds memberships with the form's consent record. Single opt-in lists
 * are confirmed at once; double opt-in lists wait unconfirmed and are returned in `pending` for
 * `sendConfirmationMail`. A confirmed member stays as is, and suppressed or blocked addresses
 * change nothing, with the same answer, so the form never tells whether an address is known.
 */
export async function subscribe({ db, actor }: Deps, input: SubscribeInput): Promise<SubscribeResult> {
  const check = checkEmail(input.email);
  if (!check.ok) throw badInput("email", `Invalid email: ${check.reason}`);
  const email = check.email;
  const name =
    typeof input.name === "string" && input.name.trim() ? input.name.trim().slice(0, MAX_NAME_LENGTH) : null;
  const chosen = await publicListsFor(db, input.listIds);
  const confirmationRequired = chosen.some((l) => l.optIn === "double");
  if (await isSuppressed(db, email)) return { confirmationRequired, pending: null };

  const pending = await db.transaction(async (tx) => {
    const sub = await findOrCreateSubscriber(tx, email, name);
    if (BLOCKED.has(sub.status)) return null;
    const existing = await tx
      .select()
      .from(listMemberships)
      .where(
        and(
          eq(listMemberships.subscriberId, sub.id),
          inArray(
            listMemberships.listId,
            chosen.map((l) => l.id),
          ),
        ),
      )
      .for("update");
    const consent = {
      source: "form" as const,
      ip: actor.ip,
      userAgent: actor.userAgent?.slice(0, 500) ?? null,
      consentedAt: new Date(),
    };
    const waiting: string[] = [];
    const changed: string[] = [];
    for (const list of chosen) {
      const m = existing.find((e) => e.listId === list.id);
      const status = list.optIn === "double" ? ("unconfirmed" as const) : ("confirmed" as const);
      if (!m) {
        await tx
          .insert(listMemberships)
          .values({ listId: list.id, subscriberId: sub.id, status, ...consent });
      } else if (m.status === "unsubscribed" || (m.status === "unconfirmed" && status === "confirmed")) {
        await tx
          .update(listMemberships)
          .set({ status, ...consent, confirmedAt: null, unsubscribedAt: null })
          .where(and(eq(listMemberships.listId, list.id), eq(listMemberships.subscriberId, sub.id)));
      } else if (m.status === "unconfirmed" && Date.now() - m.updatedAt.getTime() > RESEND_AFTER_MS) {
        // Asked again (the first mail got lost?): send another, but not more often than this.
        await tx
          .update(listMemberships)
          .set({ updatedAt: new Date() })
          .where(and(eq(listMemberships.listId, list.id), eq(listMemberships.subscriberId, sub.id)));
        waiting.push(list.id);
        continue;
      } else {
        continue; // confirmed already, or a confirmation went out a moment ago
      }
      changed.push(list.id);
      if (status === "unconfirmed") waiting.push(list.id);
    }
    const anyConfirmed = chosen.some((l) => l.optIn === "single" && changed.includes(l.id));
    if (anyConfirmed && sub.status === "unsubscribed") {
      await tx.update(subscribers).set({ status: "active" }).where(eq(subscribers.id, sub.id));
    }
    if (changed.length > 0) {
      await emitAudit(tx, asSubscriber(actor, sub.email), {
        action: "subscription.create",
        entity: "subscriber",
        entityId: sub.id,
        after: { listIds: changed, source: "form", pendingConfirmation: waiting },
      });
    }
    return waiting.length > 0
      ? { subscriber: { id: sub.id, email: sub.email, name: sub.name }, listIds: waiting }
      : null;
  });
  return { confirmationRequired, pending };
}

async function findOrCreateSubscriber(
  tx: Database,
  email: string,
  name: string | null,
): Promise<SubscriberRow> {
  const byEmail = sql`lower(${subscribers.email}) = ${emailKey(email)}`;
  const [found] = await tx.select().from(subscribers).where(byEmail).for("update");
  if (found) return found;
  // A concurrent request may create the same address: then read the row it made.
  const [created] = await tx.insert(subscribers).values({ email, name }).onConflictDoNothing().returning();
  if (created) return created;
  const [raced] = await tx.select().from(subscribers).where(byEmail).for("update");
  if (!raced) throw new Error("subscriber vanished during subscription");
  return raced;
}

/**
 * Mails a double opt-in confirmation with a signed `/confirm/:token` link for `listIds`, unless
 * the address is suppressed. Links use APP_URL, else `baseUrl` (the request origin).
 */
export async function sendConfirmationMail(
  env: Env,
  db: Database,
  subscriber: { id: string; email: string; name: string | null },
  listIds: string[],
  baseUrl?: string,
): Promise<void> {
  if (listIds.length === 0 || (await isSuppressed(db, subscriber.email))) return;
  const rows = await db
    .select({ name: lists.name })
    .from(lists)
    .where(inArray(lists.id, listIds))
    .orderBy(asc(lists.name));
  if (rows.length === 0) return;
  const token = await confirmToken(env.TRACKING_SECRET, { subscriberId: subscriber.id, listIds });
  const url = `${publicBaseUrl(env, baseUrl)}/confirm/${token}`;
  const names = rows.map((r) => r.name);
  const what = names.length === 1 ? `"${names[0]}"` : `${names.length} lists`;
  const greeting = subscriber.name ? `Hello ${subscriber.name},` : "Hello,";
  await sendSystemMail(env, {
    to: subscriber.email,
    subject: `Confirm your subscription to ${what}`,
    text: [
      greeting,
      "",
      `Please confirm that you want to receive mail from: ${names.join(", ")}.`,
      "",
      `Confirm: ${url}`,
      "",
      "If you did not ask for this, ignore this message and nothing will be sent to you.",
    ].join("\n"),
    html: html`<p>${greeting}</p>
<p>Please confirm that you want to receive mail from:</p>
<ul>${names.map((n) => html`<li>${n}</li>`)}</ul>
<p><a href="${url}">Confirm my subscription</a></p>
<p>If you did not ask for this, ignore this message and nothing will be sent to you.</p>`.value,
  });
}

export interface ConfirmResult {
  email: string;
  lists: string[];
}

/**
 * Confirms the double opt-in memberships named in a signed confirmation token, recording the time
 * and the confirming click's address and client. Idempotent; a membership unsubscribed since is
 * left alone. Throws not_found for a bad, expired or spent-out token.
 */
export async function confirmSubscription(
  { db, actor, secret }: Deps & { secret: string },
  token: string,
): Promise<ConfirmResult> {
  const claims = await readConfirmToken(secret, token);
  if (!claims || claims.listIds.length === 0) throw NotFoundError("Confirmation link");
  return db.transaction(async (tx) => {
    const [sub] = await tx
      .select()
      .from(subscribers)
      .where(eq(subscribers.id, claims.subscriberId))
      .for("update");
    if (!sub) throw NotFoundError("Confirmation link");
    const rows = await tx
      .select({ listId: listMemberships.listId, status: listMemberships.status, name: lists.name })
      .from(listMemberships)
      .innerJoin(lists, eq(lists.id, listMemberships.listId))
      .where(and(eq(listMemberships.subscriberId, sub.id), inArray(listMemberships.listId, claims.listIds)))
      .for("update", { of: listMemberships });
    const live = rows.filter((r) => r.status !== "unsubscribed");
    if (live.length === 0) throw NotFoundError("Confirmation link");
    const toConfirm = live.filter((r) => r.status === "unconfirmed").map((r) => r.listId);
    if (toConfirm.length > 0) {
      const now = new Date();
      await tx
        .update(listMemberships)
        .set({
          status: "confirmed",
          confirmedAt: now,
          ip: actor.ip,
          userAgent: actor.userAgent?.slice(0, 500) ?? null,
        })
        .where(and(eq(listMemberships.subscriberId, sub.id), inArray(listMemberships.listId, toConfirm)));
      if (sub.status === "unsubscribed") {
        await tx.update(subscribers).set({ status: "active" }).where(eq(subscribers.id, sub.id));
      }
      await emitAudit(tx, asSubscriber(actor, sub.email), {
        action: "subscription.confirm",
        entity: "subscriber",
        entityId: sub.id,
        after: { listIds: toConfirm, confirmedAt: now },
      });
    }
    return { email: sub.email, lists: live.map((r) => r.name) };
  });
}

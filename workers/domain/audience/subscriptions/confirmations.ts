import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { listMemberships, lists } from "../../../../schema/lists";
import { subscribers } from "../../../../schema/subscribers";
import { suppressions } from "../../../../schema/suppressions";
import { isLocale, matchLocale } from "../../../contract/locales";
import type { Env } from "../../../env";
import type { Database } from "../../../lib/db";
import { NotFoundError } from "../../../lib/errors";
import { html } from "../../../lib/html";
import { t } from "../../../lib/i18n";
import type { Actor } from "../../actor";
import { emitAudit } from "../../audit";
import type { DomainContext } from "../../context";
import { deliverSystemMail } from "../../system-mail";
import { emailHash } from "../email";
import { suppressionReason } from "../suppressions/suppressions";
import { confirmToken, publicBaseUrl, readConfirmToken } from "./links";
import { asSubscriber } from "./subscriptions";

/** Double opt-in by mail: the confirmation mail and the click on its signed link. */

/** A confirmation to mail once the change that needs it has committed. */
export interface PendingMail {
  subscriber: { id: string; email: string };
  listIds: string[];
  /**
   * The address's way back after it unsubscribed: it may then be mailed although its own
   * unsubscribe from everything suppressed it (no other suppression).
   */
  comeback?: boolean;
}

/**
 * Mails a confirmation with a signed `/confirm/:token` link for the live ones of `listIds`, unless
 * the address is suppressed (see `comeback`). Links use APP_URL, else `baseUrl` (the request
 * origin). The mail holds only our own words and the lists' names: nothing a visitor typed (their
 * name), since the form lets anyone have it sent to any address.
 */
export async function sendConfirmationMail(
  env: Env,
  db: Database,
  pending: PendingMail,
  baseUrl?: string,
  /** The visitor's Accept-Language, for lists that name no language. */
  acceptLanguage?: string,
): Promise<void> {
  const { subscriber, listIds } = pending;
  if (listIds.length === 0) return;
  const suppressed = await suppressionReason(db, subscriber.email);
  if (suppressed && !(pending.comeback && suppressed === "unsubscribe")) return;
  const rows = await db
    .select({ name: lists.name, language: lists.language })
    .from(lists)
    .where(and(inArray(lists.id, listIds), isNull(lists.archivedAt)))
    .orderBy(asc(lists.name));
  if (rows.length === 0) return;
  const token = await confirmToken(env.TRACKING_SECRET, { subscriberId: subscriber.id, listIds });
  const url = `${publicBaseUrl(env, baseUrl)}/confirm/${token}`;
  const names = rows.map((r) => r.name);
  const lang = mailLanguage(
    rows.map((r) => r.language),
    acceptLanguage,
  );
  const subject =
    names.length === 1
      ? t(lang, "confirm.subjectOne", { list: names[0] ?? "" })
      : t(lang, "confirm.subjectMany", { count: names.length });
  await deliverSystemMail(db, env, {
    to: subscriber.email,
    subject,
    language: lang,
    text: [
      t(lang, "mail.hello"),
      "",
      t(lang, "confirm.ask", { lists: names.join(", ") }),
      "",
      t(lang, "confirm.link", { url }),
      "",
      t(lang, "confirm.ignore"),
    ].join("\n"),
    html: html`<p>${t(lang, "mail.hello")}</p>
<p>${t(lang, "confirm.askList")}</p>
<ul>${names.map((n) => html`<li>${n}</li>`)}</ul>
<p><a href="${url}">${t(lang, "confirm.button")}</a></p>
<p>${t(lang, "confirm.ignore")}</p>`.value,
  });
}

/** The lists' language when they all name the same one, else the visitor's, else English. */
function mailLanguage(languages: (string | null)[], acceptLanguage?: string): string {
  const [first] = languages;
  if (isLocale(first) && languages.every((l) => l === first)) return first;
  return matchLocale(acceptLanguage) ?? "en";
}

export interface ConfirmResult {
  email: string;
  lists: string[];
  /** The lists' page language when they all name the same one (the page's `<html lang>`). */
  language: string | null;
}

/**
 * Confirms the memberships named in a signed confirmation token, recording the time and the
 * confirming click's address and client: waiting ones, and ones unsubscribed before the link was
 * made (the way back, with a fresh consent; the subscriber becomes active again and their own
 * `unsubscribe` suppression is lifted). A membership unsubscribed after the link was made, or on
 * an archived list, is left alone. Idempotent. Throws not_found for a bad, expired or spent link.
 */
export async function confirmSubscription(
  { db, actor, secret }: DomainContext & { secret: string },
  token: string,
): Promise<ConfirmResult> {
  const claims = await readConfirmToken(secret, token);
  if (!claims || claims.listIds.length === 0) throw NotFoundError("Confirmation link");
  const { issuedAt } = claims;
  return db.transaction(async (tx) => {
    const [sub] = await tx
      .select()
      .from(subscribers)
      .where(eq(subscribers.id, claims.subscriberId))
      .for("update");
    if (!sub) throw NotFoundError("Confirmation link");
    const rows = await lockTokenMemberships(tx, sub.id, claims.listIds);
    const back = rows.filter(
      (r) => r.status === "unsubscribed" && issuedAt && r.unsubscribedAt && r.unsubscribedAt < issuedAt,
    );
    const live = rows.filter((r) => r.status !== "unsubscribed" || back.includes(r));
    if (live.length === 0) throw NotFoundError("Confirmation link");
    const waiting = live.filter((r) => r.status === "unconfirmed");
    if (waiting.length + back.length > 0) await confirmMemberships(tx, actor, sub, waiting, back);
    const languages = new Set(live.map((r) => r.language));
    const [language = null] = languages.size === 1 ? [...languages] : [];
    return { email: sub.email, lists: live.map((r) => r.name), language };
  });
}

type TokenMembership = Awaited<ReturnType<typeof lockTokenMemberships>>[number];

/** The subscriber's memberships of the token's lists that are not archived, locked, with the lists' names. */
async function lockTokenMemberships(tx: Database, subscriberId: string, listIds: string[]) {
  return tx
    .select({
      listId: listMemberships.listId,
      status: listMemberships.status,
      unsubscribedAt: listMemberships.unsubscribedAt,
      name: lists.name,
      language: lists.language,
    })
    .from(listMemberships)
    .innerJoin(lists, eq(lists.id, listMemberships.listId))
    .where(
      and(
        eq(listMemberships.subscriberId, subscriberId),
        inArray(listMemberships.listId, listIds),
        isNull(lists.archivedAt),
      ),
    )
    .for("update", { of: listMemberships });
}

/**
 * Confirms the waiting memberships and reopens the ones coming `back` (with a fresh form consent),
 * makes the subscriber active again, lifts their own unsubscribe suppression, and audits it.
 */
async function confirmMemberships(
  tx: Database,
  actor: Actor,
  sub: { id: string; email: string; status: string },
  waiting: TokenMembership[],
  back: TokenMembership[],
): Promise<void> {
  const now = new Date();
  const click = {
    status: "confirmed" as const,
    confirmedAt: now,
    ip: actor.ip,
    userAgent: actor.userAgent?.slice(0, 500) ?? null,
  };
  const of = (some: TokenMembership[]) =>
    and(
      eq(listMemberships.subscriberId, sub.id),
      inArray(
        listMemberships.listId,
        some.map((r) => r.listId),
      ),
    );
  if (waiting.length > 0) await tx.update(listMemberships).set(click).where(of(waiting));
  if (back.length > 0) {
    await tx
      .update(listMemberships)
      .set({ ...click, source: "form", consentedAt: now, unsubscribedAt: null })
      .where(of(back));
  }
  if (sub.status === "unsubscribed") {
    await tx.update(subscribers).set({ status: "active" }).where(eq(subscribers.id, sub.id));
  }
  await tx
    .delete(suppressions)
    .where(
      and(eq(suppressions.emailHash, await emailHash(sub.email)), eq(suppressions.reason, "unsubscribe")),
    );
  await emitAudit(tx, asSubscriber(actor, sub.email), {
    action: "subscription.confirm",
    entity: "subscriber",
    entityId: sub.id,
    after: {
      listIds: waiting.map((r) => r.listId),
      reopened: back.map((r) => r.listId),
      confirmedAt: now,
    },
  });
}

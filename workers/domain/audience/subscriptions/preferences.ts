import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import { listMemberships, lists } from "../../../../schema/lists";
import { subscribers } from "../../../../schema/subscribers";
import { suppressions } from "../../../../schema/suppressions";
import type { Database } from "../../../lib/db";
import { NotFoundError } from "../../../lib/errors";
import { emitAudit } from "../../audit";
import type { DomainContext } from "../../context";
import { emailHash } from "../email";
import { isUuid } from "./links";
import { asSubscriber } from "./subscriptions";

/** The preferences page: a subscriber choosing their own public lists through a signed link. */

type SubscriberRow = typeof subscribers.$inferSelect;

export interface PreferenceList {
  id: string;
  name: string;
  description: string | null;
  subscribed: boolean;
}

export interface Preferences {
  email: string;
  name: string | null;
  status: SubscriberRow["status"];
  lists: PreferenceList[];
}

/**
 * The public lists, each with whether the subscriber is on it (confirmed or waiting); an archived
 * list only while they are on it, so that they can still leave it.
 */
export async function getPreferences(db: Database, subscriberId: string): Promise<Preferences> {
  const [sub] = await db.select().from(subscribers).where(eq(subscribers.id, subscriberId));
  if (!sub) throw NotFoundError("Subscriber");
  const rows = await db
    .select({
      id: lists.id,
      name: lists.name,
      description: lists.description,
      status: listMemberships.status,
    })
    .from(lists)
    .leftJoin(
      listMemberships,
      and(eq(listMemberships.listId, lists.id), eq(listMemberships.subscriberId, subscriberId)),
    )
    .where(
      and(
        eq(lists.visibility, "public"),
        or(isNull(lists.archivedAt), inArray(listMemberships.status, ["confirmed", "unconfirmed"])),
      ),
    )
    .orderBy(asc(lists.name));
  return {
    email: sub.email,
    name: sub.name,
    status: sub.status,
    lists: rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      subscribed: r.status === "confirmed" || r.status === "unconfirmed",
    })),
  };
}

/**
 * Sets the subscriber's public list memberships to exactly `listIds` (private lists are left
 * alone). The request came through a signed link mailed to the address, which proves control of
 * the mailbox as a confirmation click does, so lists joined here are confirmed at once. Choosing
 * lists after unsubscribing from everything lifts the `unsubscribe` suppression (and only that).
 * Archived lists can be left here, not joined.
 */
export async function updatePreferences(
  { db, actor }: DomainContext,
  subscriberId: string,
  input: { listIds: string[] },
): Promise<Preferences> {
  const wanted = new Set(input.listIds.filter(isUuid));
  await db.transaction(async (tx) => {
    const [sub] = await tx.select().from(subscribers).where(eq(subscribers.id, subscriberId)).for("update");
    if (!sub) throw NotFoundError("Subscriber");
    const publicLists = await tx.select().from(lists).where(eq(lists.visibility, "public"));
    const mine = await tx
      .select()
      .from(listMemberships)
      .where(eq(listMemberships.subscriberId, sub.id))
      .for("update");
    const now = new Date();
    const added: string[] = [];
    const removed: string[] = [];
    for (const list of publicLists) {
      const m = mine.find((x) => x.listId === list.id);
      const on = m !== undefined && m.status !== "unsubscribed";
      const where = and(eq(listMemberships.listId, list.id), eq(listMemberships.subscriberId, sub.id));
      if (wanted.has(list.id) && m?.status !== "confirmed" && list.archivedAt === null) {
        // A waiting double opt-in membership keeps the time consent was first given.
        const consent = {
          status: "confirmed" as const,
          source: "form" as const,
          ip: actor.ip,
          userAgent: actor.userAgent?.slice(0, 500) ?? null,
          consentedAt: m?.status === "unconfirmed" ? m.consentedAt : now,
          confirmedAt: list.optIn === "double" ? now : null,
          unsubscribedAt: null,
        };
        if (m) await tx.update(listMemberships).set(consent).where(where);
        else await tx.insert(listMemberships).values({ listId: list.id, subscriberId: sub.id, ...consent });
        added.push(list.id);
      } else if (!wanted.has(list.id) && on) {
        await tx.update(listMemberships).set({ status: "unsubscribed", unsubscribedAt: now }).where(where);
        removed.push(list.id);
      }
    }
    if (added.length > 0 && sub.status === "unsubscribed") {
      await tx.update(subscribers).set({ status: "active" }).where(eq(subscribers.id, sub.id));
      await tx
        .delete(suppressions)
        .where(
          and(eq(suppressions.emailHash, await emailHash(sub.email)), eq(suppressions.reason, "unsubscribe")),
        );
    }
    if (added.length + removed.length > 0) {
      await emitAudit(tx, asSubscriber(actor, sub.email), {
        action: "subscription.preferences",
        entity: "subscriber",
        entityId: sub.id,
        after: { added, removed },
      });
    }
  });
  return getPreferences(db, subscriberId);
}

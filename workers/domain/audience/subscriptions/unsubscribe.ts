import { and, eq, ne } from "drizzle-orm";
import { listMemberships, lists } from "../../../../schema/lists";
import { subscribers } from "../../../../schema/subscribers";
import type { Database } from "../../../lib/db";
import { emitAudit } from "../../audit";
import type { DomainContext } from "../../context";
import { ingestEvents } from "../../tracking/ingest";
import { emitWebhookEvents } from "../../webhooks/emit";
import { subscriberData } from "../subscribers";
import { suppressEmail } from "../suppressions/suppressions";
import { asSubscriber } from "./subscriptions";

/** Unsubscribing through a signed link: from one list, or from everything (with suppression). */

export interface UnsubscribeInput {
  subscriberId: string;
  /** From this list only; absent means from every list. */
  listId?: string;
  campaignId?: string;
}

export interface UnsubscribeResult {
  /** Null when the subscriber no longer exists (erased): nothing is mailed to them anyway. */
  email: string | null;
  scope: "list" | "all";
  listName: string | null;
}

/**
 * Unsubscribes from one list, or from all: every membership unsubscribed, the subscriber's status
 * `unsubscribed` and the address suppressed (reason `unsubscribe`). Idempotent.
 */
export async function unsubscribe(
  { db, actor, queues }: DomainContext,
  input: UnsubscribeInput,
): Promise<UnsubscribeResult> {
  return db.transaction(async (tx) => {
    const [sub] = await tx
      .select()
      .from(subscribers)
      .where(eq(subscribers.id, input.subscriberId))
      .for("update");
    if (!sub) return { email: null, scope: input.listId ? "list" : "all", listName: null };
    const now = new Date();
    const who = asSubscriber(actor, sub.email);
    if (input.listId) {
      const [list] = await tx.select({ name: lists.name }).from(lists).where(eq(lists.id, input.listId));
      const changed = await tx
        .update(listMemberships)
        .set({ status: "unsubscribed", unsubscribedAt: now })
        .where(
          and(
            eq(listMemberships.subscriberId, sub.id),
            eq(listMemberships.listId, input.listId),
            ne(listMemberships.status, "unsubscribed"),
          ),
        )
        .returning({ listId: listMemberships.listId });
      if (changed.length > 0) {
        await recordUnsubscribe(tx, sub, input);
        await emitAudit(tx, who, {
          action: "subscription.unsubscribe",
          entity: "subscriber",
          entityId: sub.id,
          after: { listIds: [input.listId], campaignId: input.campaignId ?? null },
        });
        await emitWebhookEvents({ db: tx, queues }, [
          {
            type: "subscriber.unsubscribed",
            data: {
              subscriber: subscriberData(sub),
              scope: "list",
              listIds: [input.listId],
              campaignId: input.campaignId ?? null,
            },
          },
        ]);
      }
      return { email: sub.email, scope: "list", listName: list?.name ?? null };
    }
    const changed = await tx
      .update(listMemberships)
      .set({ status: "unsubscribed", unsubscribedAt: now })
      .where(and(eq(listMemberships.subscriberId, sub.id), ne(listMemberships.status, "unsubscribed")))
      .returning({ listId: listMemberships.listId });
    if (sub.status === "active") {
      await tx.update(subscribers).set({ status: "unsubscribed" }).where(eq(subscribers.id, sub.id));
    }
    await suppressEmail(tx, sub.email, "unsubscribe", "unsubscribed from all lists");
    if (changed.length > 0 || sub.status === "active") await recordUnsubscribe(tx, sub, input);
    await emitAudit(tx, who, {
      action: "subscription.unsubscribe_all",
      entity: "subscriber",
      entityId: sub.id,
      before: { status: sub.status },
      after: {
        status: sub.status === "active" ? "unsubscribed" : sub.status,
        listIds: changed.map((c) => c.listId),
        campaignId: input.campaignId ?? null,
      },
    });
    if (changed.length > 0 || sub.status === "active")
      await emitWebhookEvents({ db: tx, queues }, [
        {
          type: "subscriber.unsubscribed",
          data: {
            subscriber: {
              ...subscriberData(sub),
              status: sub.status === "active" ? "unsubscribed" : sub.status,
            },
            scope: "all",
            listIds: changed.map((c) => c.listId),
            campaignId: input.campaignId ?? null,
          },
        },
      ]);
    return { email: sub.email, scope: "all", listName: null };
  });
}

/** Who an unsubscribe link is for, to show on its confirm page; null when the subscriber is gone. */
export async function unsubscribeTarget(
  db: Database,
  input: UnsubscribeInput,
): Promise<{ email: string; listName: string | null; language: string | null } | null> {
  const [sub] = await db
    .select({ email: subscribers.email })
    .from(subscribers)
    .where(eq(subscribers.id, input.subscriberId));
  if (!sub) return null;
  if (!input.listId) return { email: sub.email, listName: null, language: null };
  const [list] = await db
    .select({ name: lists.name, language: lists.language })
    .from(lists)
    .where(eq(lists.id, input.listId));
  return { email: sub.email, listName: list?.name ?? null, language: list?.language ?? null };
}

/**
 * The `unsubscribe` event (timeline, campaign rollups): once per subscriber, campaign and scope,
 * so clicking the link again or a repeated one-click POST counts once.
 */
async function recordUnsubscribe(db: Database, sub: { id: string; email: string }, input: UnsubscribeInput) {
  await ingestEvents(db, [
    {
      kind: "unsubscribe",
      dedupeKey: `unsubscribe:${sub.id}:${input.campaignId ?? "-"}:${input.listId ?? "all"}`,
      occurredAt: new Date(),
      campaignId: input.campaignId ?? null,
      subscriberId: sub.id,
      data: { email: sub.email, listId: input.listId ?? null },
    },
  ]);
}

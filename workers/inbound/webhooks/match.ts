import { inArray, or, type SQL, sql } from "drizzle-orm";
import { sends } from "../../../schema/sends";
import { readBounceAddress } from "../../lib/bounce-token";
import type { Database } from "../../lib/db";
import type { MatchKey } from "./notice";

export type SendRow = typeof sends.$inferSelect;

/** What to look for, per notice: the recipient and how to find the send it is about. */
export interface MatchRequest extends MatchKey {
  email: string;
}

/**
 * Finds our send for each request, in one query: by a signed bounce address (the token is checked
 * here, without the database), else by our Message-ID (sends_message_id_idx), else, where the
 * provider allows it, the latest send to the subscriber with that address (subscribers' unique
 * lower(email) index, then sends_subscriber_idx). A send only counts when it went to the same
 * address: a notice never lands on someone else's send.
 */
export async function matchSends(
  db: Database,
  secret: string,
  requests: MatchRequest[],
): Promise<(SendRow | null)[]> {
  const idsOf = await Promise.all(
    requests.map(async (r) => {
      const ids: number[] = [];
      for (const a of r.bounceAddresses.slice(0, 5)) {
        const id = await readBounceAddress(secret, a);
        if (id) ids.push(id);
      }
      return ids;
    }),
  );
  const ids = [...new Set(idsOf.flat())];
  const messageIds = [...new Set(requests.flatMap((r) => r.messageIds))];
  const emails = [...new Set(requests.filter((r) => r.byEmail).map((r) => r.email))];
  const conditions: SQL[] = [];
  if (ids.length > 0) conditions.push(inArray(sends.id, ids));
  if (messageIds.length > 0) conditions.push(inArray(sends.messageId, messageIds));
  if (emails.length > 0) {
    const list = sql.join(
      emails.map((e) => sql`${e}`),
      sql`, `,
    );
    conditions.push(
      sql`${sends.id} in (select max(s.id) from sends s join subscribers sub on sub.id = s.subscriber_id
        where lower(sub.email) in (${list}) and s.sent_at is not null group by s.subscriber_id)`,
    );
  }
  if (conditions.length === 0) return requests.map(() => null);
  const rows = await db
    .select()
    .from(sends)
    .where(or(...conditions));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return requests.map((r, i) => {
    const mine = (row: SendRow | undefined | null) =>
      row && row.email.toLowerCase() === r.email ? row : null;
    for (const id of idsOf[i] ?? []) {
      const row = mine(byId.get(id));
      if (row) return row;
    }
    for (const mid of r.messageIds) {
      const row = mine(rows.find((s) => s.messageId === mid));
      if (row) return row;
    }
    if (!r.byEmail) return null;
    // The subquery returned the latest send of the subscriber; older ones may be here by id.
    const latest = rows
      .filter((s) => s.sentAt && s.email.toLowerCase() === r.email)
      .sort((a, b) => b.id - a.id)[0];
    return latest ?? null;
  });
}

import { inArray, or, type SQL, sql } from "drizzle-orm";
import { sends } from "../../../schema/sends";
import { concernsSend } from "../../domain/bounces/rules";
import { readBounceAddress } from "../../lib/bounce-token";
import type { Database } from "../../lib/db";
import type { MatchKey } from "./notice";

export type SendRow = typeof sends.$inferSelect;

/** What to look for, per notice: the recipient and how to find the send it is about. */
export interface MatchRequest extends MatchKey {
  email: string;
}

/** What a notice is about. */
export interface SendMatch {
  /** Our send, when one was found for the notice's address. */
  send: SendRow | null;
  /**
   * The notice names one of our sends (signed bounce address or Message-ID) that went to another
   * address: it is ignored, since whatever the relay was told about that message, the only
   * address it can count against is the send's own (concernsSend).
   */
  foreign: boolean;
}

/**
 * Finds our send for each request, in one query: by a signed bounce address (the token is checked
 * here, without the database), else by our Message-ID (sends_message_id_idx), else, where the
 * provider allows it, the latest send to the subscriber with that address (subscribers' unique
 * lower(email) index, then sends_subscriber_idx). A send only counts when it went to the same
 * address: a notice never lands on someone else's send, and a notice that names a send of ours
 * but another address is `foreign`.
 */
export async function matchSends(
  db: Database,
  secret: string,
  requests: MatchRequest[],
): Promise<SendMatch[]> {
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
  if (conditions.length === 0) return requests.map(() => ({ send: null, foreign: false }));
  const rows = await db
    .select()
    .from(sends)
    .where(or(...conditions));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return requests.map((r, i) => {
    const named: SendRow[] = [];
    for (const id of idsOf[i] ?? []) {
      const row = byId.get(id);
      if (row) named.push(row);
    }
    for (const mid of r.messageIds) {
      const row = rows.find((s) => s.messageId === mid);
      if (row) named.push(row);
    }
    const own = named.find((row) => concernsSend(row.email, r.email));
    if (own) return { send: own, foreign: false };
    if (named.length > 0 || !r.byEmail) return { send: null, foreign: named.length > 0 };
    // The subquery returned the latest send of the subscriber; older ones may be here by id.
    const latest = rows
      .filter((s) => s.sentAt && s.email.toLowerCase() === r.email)
      .sort((a, b) => b.id - a.id)[0];
    return { send: latest ?? null, foreign: false };
  });
}

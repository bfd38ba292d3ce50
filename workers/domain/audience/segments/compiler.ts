import { count, desc, inArray, type SQL, sql } from "drizzle-orm";
import { events } from "../../../../schema/events";
import { listMemberships, lists } from "../../../../schema/lists";
import { subscribers } from "../../../../schema/subscribers";
import type { Database } from "../../../lib/db";
import { AppError } from "../../../lib/errors";
import { loadFieldDefs } from "../field-values";
import { compileFieldCondition } from "./fields";
import { formatPath, parseSegmentRules, type SegmentNode } from "./rules";

export type SubscriberRow = typeof subscribers.$inferSelect;

/** Double opt-in lists only count confirmed members; single opt-in ones any not unsubscribed. */
type ListOptIns = Map<string, "single" | "double">;

function compileNode(node: SegmentNode, optIns: ListOptIns): SQL {
  switch (node.kind) {
    case "and":
    case "or":
      return sql`(${sql.join(
        node.children.map((c) => compileNode(c, optIns)),
        node.kind === "and" ? sql` and ` : sql` or `,
      )})`;
    case "not":
      return sql`(not ${compileNode(node.child, optIns)})`;
    case "field":
      return compileFieldCondition(node.def, node.op, node.value);
    case "list": {
      const statusOk =
        optIns.get(node.listId) === "double" ? sql`m.status = 'confirmed'` : sql`m.status <> 'unsubscribed'`;
      return sql`exists (select 1 from ${listMemberships} m where m.list_id = ${node.listId}::uuid
        and m.subscriber_id = ${subscribers.id} and ${statusOk})`;
    }
    case "status":
      return sql`(${subscribers.status} = ${node.status})`;
    case "created":
      return sql`(${subscribers.createdAt} >= now() - make_interval(days => ${node.days}::int))`;
    case "event": {
      // Correlated on (subscriber_id, occurred_at): events_subscriber_occurred_idx serves it.
      // Machine opens and clicks (privacy proxies, link scanners) are not human engagement.
      const conds = [
        sql`e.subscriber_id = ${subscribers.id}`,
        sql`e.kind = ${node.event}`,
        sql`e.machine = false`,
      ];
      if (node.campaignId) conds.push(sql`e.campaign_id = ${node.campaignId}::uuid`);
      if (node.withinDays)
        conds.push(sql`e.occurred_at >= now() - make_interval(days => ${node.withinDays}::int)`);
      const sub = sql`exists (select 1 from ${events} e where ${sql.join(conds, sql` and `)})`;
      return node.never ? sql`(not ${sub})` : sub;
    }
  }
}

/**
 * Validates a segment rule tree and compiles it to a boolean condition over `subscribers`. Every
 * value and field key is a bind parameter. A bad rule throws a 400 whose details name each node.
 */
export async function compileSegment(db: Database, rules: unknown): Promise<SQL> {
  const parsed = parseSegmentRules(rules, await loadFieldDefs(db));
  const optIns: ListOptIns = new Map();
  const ids = [...new Set(parsed.listRefs.map((r) => r.listId))];
  if (ids.length > 0) {
    const rows = await db
      .select({ id: lists.id, optIn: lists.optIn })
      .from(lists)
      .where(inArray(lists.id, ids));
    for (const r of rows) optIns.set(r.id, r.optIn);
    for (const ref of parsed.listRefs) {
      if (!optIns.has(ref.listId))
        parsed.issues.push({
          path: ref.path,
          message: `${formatPath(ref.path)}: unknown list "${ref.listId}"`,
        });
    }
  }
  const [first, ...rest] = parsed.issues;
  if (first || !parsed.node) {
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : "";
    throw new AppError(
      "validation_failed",
      `Invalid segment rules: ${first?.message ?? "rules are required"}${more}`,
      parsed.issues,
    );
  }
  return compileNode(parsed.node, optIns);
}

async function countWhere(db: Database, where: SQL): Promise<number> {
  const [total] = await db.select({ n: count() }).from(subscribers).where(where);
  return total?.n ?? 0;
}

/** How many subscribers a rule tree matches. */
export async function segmentCount(db: Database, rules: unknown): Promise<number> {
  return countWhere(db, await compileSegment(db, rules));
}

/** How many subscribers a rule tree matches, and the newest few of them. */
export async function segmentPreview(
  db: Database,
  rules: unknown,
  sampleSize = 10,
): Promise<{ count: number; sample: SubscriberRow[] }> {
  const where = await compileSegment(db, rules);
  const total = await countWhere(db, where);
  const sample =
    sampleSize > 0
      ? await db.select().from(subscribers).where(where).orderBy(desc(subscribers.id)).limit(sampleSize)
      : [];
  return { count: total, sample };
}

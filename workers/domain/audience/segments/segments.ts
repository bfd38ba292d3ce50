import { asc, count, eq, gt } from "drizzle-orm";
import { touch } from "../../../../schema/columns";
import { type SegmentRule, segments } from "../../../../schema/segments";
import type { CreateSegment, UpdateSegment } from "../../../contract/segments";
import type { Database } from "../../../lib/db";
import { NotFoundError } from "../../../lib/errors";
import { emitAudit } from "../../audit";
import type { DomainContext } from "../../context";
import { decodeCursor, encodeCursor, type Page } from "../../pagination";
import { compileSegment, type SubscriberRow, segmentPreview } from "./compiler";

export type SegmentRow = typeof segments.$inferSelect;

export async function listSegments(
  db: Database,
  q: { limit: number; cursor?: string },
): Promise<Page<SegmentRow>> {
  const after = decodeCursor(q.cursor);
  const rows = await db
    .select()
    .from(segments)
    .where(after ? gt(segments.id, after.id) : undefined)
    .orderBy(asc(segments.id))
    .limit(q.limit + 1);
  const [total] = await db.select({ n: count() }).from(segments);
  const data = rows.slice(0, q.limit);
  const last = data.at(-1);
  return {
    data,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    total: total?.n,
  };
}

export async function getSegment(db: Database, id: string): Promise<SegmentRow> {
  const [row] = await db.select().from(segments).where(eq(segments.id, id));
  if (!row) throw NotFoundError("Segment");
  return row;
}

/** Validates a rule tree (throws the 400 naming each bad node) and returns it typed. */
async function validRules(db: Database, rules: unknown): Promise<SegmentRule> {
  await compileSegment(db, rules);
  return rules as SegmentRule;
}

/** Rules are validated (fields, lists, operators) before anything is written. */
export async function createSegment({ db, actor }: DomainContext, input: CreateSegment): Promise<SegmentRow> {
  const rules = await validRules(db, input.rules);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(segments).values({ name: input.name, rules }).returning();
    if (!row) throw new Error("insert returned nothing");
    await emitAudit(tx, actor, { action: "segment.create", entity: "segment", entityId: row.id, after: row });
    return row;
  });
}

export async function updateSegment(
  { db, actor }: DomainContext,
  id: string,
  input: UpdateSegment,
): Promise<SegmentRow> {
  const rules = input.rules === undefined ? undefined : await validRules(db, input.rules);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(segments).where(eq(segments.id, id)).for("update");
    if (!before) throw NotFoundError("Segment");
    const [row] = await tx
      .update(segments)
      .set(touch({ name: input.name, rules }))
      .where(eq(segments.id, id))
      .returning();
    if (!row) throw NotFoundError("Segment");
    await emitAudit(tx, actor, {
      action: "segment.update",
      entity: "segment",
      entityId: id,
      before,
      after: row,
    });
    return row;
  });
}

/** Campaigns that pointed at the segment keep their frozen audience (segment_id set null). */
export async function deleteSegment({ db, actor }: DomainContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.delete(segments).where(eq(segments.id, id)).returning();
    if (!before) throw NotFoundError("Segment");
    await emitAudit(tx, actor, { action: "segment.delete", entity: "segment", entityId: id, before });
  });
}

/** Count and sample of a saved segment, evaluated now. */
export async function previewSegment(
  db: Database,
  id: string,
  sampleSize = 10,
): Promise<{ count: number; sample: SubscriberRow[] }> {
  const segment = await getSegment(db, id);
  return segmentPreview(db, segment.rules, sampleSize);
}

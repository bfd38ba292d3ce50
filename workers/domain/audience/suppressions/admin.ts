import { and, desc, eq, lt, type SQL, sql } from "drizzle-orm";
import { suppressions } from "../../../../schema/suppressions";
import type { CreateSuppression, SuppressionQuery } from "../../../contract/audience";
import type { Database } from "../../../lib/db";
import { AppError, NotFoundError } from "../../../lib/errors";
import { emitAudit } from "../../audit";
import type { DomainContext } from "../../context";
import { decodeCursor, encodeCursor, type Page } from "../../pagination";
import { checkEmail, emailHash } from "../email";
import { suppressEmail } from "./suppressions";

export type SuppressionRow = typeof suppressions.$inferSelect;

export async function listSuppressions(db: Database, q: SuppressionQuery): Promise<Page<SuppressionRow>> {
  const after = decodeCursor(q.cursor);
  const where: SQL[] = [];
  if (q.reason) where.push(eq(suppressions.reason, q.reason));
  if (q.q)
    where.push(
      sql`${suppressions.email} like ${`${q.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`,
    );
  if (after) where.push(lt(suppressions.id, after.id));
  const rows = await db
    .select()
    .from(suppressions)
    .where(and(...where))
    .orderBy(desc(suppressions.id))
    .limit(q.limit + 1);
  const data = rows.slice(0, q.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null };
}

export async function createSuppression(
  { db, actor }: DomainContext,
  input: CreateSuppression,
): Promise<SuppressionRow> {
  const r = checkEmail(input.email);
  if (!r.ok)
    throw new AppError("validation_failed", `Invalid email: ${r.reason}`, [
      { path: ["email"], message: r.reason },
    ]);
  const hash = await emailHash(r.email);
  return db.transaction(async (tx) => {
    await suppressEmail(tx, r.email, input.reason, input.detail ?? `added by ${actor.label ?? actor.type}`);
    const [row] = await tx.select().from(suppressions).where(eq(suppressions.emailHash, hash));
    if (!row) throw new Error("suppression missing after upsert");
    await emitAudit(tx, actor, {
      action: "suppression.create",
      entity: "suppression",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

/** Lifts a suppression. An erased subscriber's hash can be lifted too, by giving the address again. */
export async function deleteSuppression({ db, actor }: DomainContext, email: string): Promise<void> {
  const hash = await emailHash(email);
  await db.transaction(async (tx) => {
    const [before] = await tx.delete(suppressions).where(eq(suppressions.emailHash, hash)).returning();
    if (!before) throw NotFoundError("Suppression");
    await emitAudit(tx, actor, {
      action: "suppression.delete",
      entity: "suppression",
      entityId: before.id,
      before,
    });
  });
}

import { asc, eq, sql } from "drizzle-orm";
import { touch } from "../../../schema/columns";
import { fields, subscribers } from "../../../schema/subscribers";
import type { CreateField, UpdateField } from "../../contract/audience";
import type { Database } from "../../lib/db";
import { ConflictError, NotFoundError, RuleError } from "../../lib/errors";
import { isUniqueViolation } from "../../lib/pg-errors";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";

export type FieldRow = typeof fields.$inferSelect;

/** All custom field definitions, by key (there are few: no paging needed, but the page shape is kept). */
export async function listFields(db: Database): Promise<FieldRow[]> {
  return db.select().from(fields).orderBy(asc(fields.key));
}

export async function createField({ db, actor }: DomainContext, input: CreateField): Promise<FieldRow> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(fields)
        .values({ key: input.key, label: input.label, type: input.type, options: input.options ?? null })
        .returning();
      if (!row) throw new Error("insert returned nothing");
      await emitAudit(tx, actor, { action: "field.create", entity: "field", entityId: row.id, after: row });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw ConflictError(`A field with the key "${input.key}" already exists`);
    throw err;
  }
}

export async function updateField(
  { db, actor }: DomainContext,
  id: string,
  input: UpdateField,
): Promise<FieldRow> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(fields).where(eq(fields.id, id)).for("update");
    if (!before) throw NotFoundError("Field");
    if (input.options && before.type !== "select") throw RuleError("Only select fields have options");
    const [row] = await tx
      .update(fields)
      .set(
        touch({
          ...(input.label !== undefined ? { label: input.label } : {}),
          ...(input.options !== undefined ? { options: input.options } : {}),
        }),
      )
      .where(eq(fields.id, id))
      .returning();
    if (!row) throw NotFoundError("Field");
    await emitAudit(tx, actor, { action: "field.update", entity: "field", entityId: id, before, after: row });
    return row;
  });
}

/** Deletes a definition and the values subscribers hold for it, so nothing refers to a missing key. */
export async function deleteField({ db, actor }: DomainContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.delete(fields).where(eq(fields.id, id)).returning();
    if (!before) throw NotFoundError("Field");
    await tx
      .update(subscribers)
      .set({ fields: sql`${subscribers.fields} - ${before.key}::text` })
      .where(sql`${subscribers.fields} ? ${before.key}::text`);
    await emitAudit(tx, actor, { action: "field.delete", entity: "field", entityId: id, before });
  });
}

import { and, asc, count, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { touch } from "../../../schema/columns";
import { type ListFormConfig, listMemberships, lists } from "../../../schema/lists";
import type { CreateList, UpdateList } from "../../contract/audience";
import type { Database } from "../../lib/db";
import { AppError, NotFoundError, RuleError } from "../../lib/errors";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import { decodeCursor, encodeCursor, type Page } from "../pagination";
import { assertFormFields, formOf, mergeForm } from "./list-form";

export type ListRow = typeof lists.$inferSelect;
export type ListCounts = { unconfirmed: number; confirmed: number; unsubscribed: number };
export type ListWithCounts = Omit<ListRow, "form"> & { form: ListFormConfig; counts: ListCounts };

const NO_COUNTS: ListCounts = { unconfirmed: 0, confirmed: 0, unsubscribed: 0 };

/** A row as the API shows it: its form with every key filled in, and its member counts. */
const withCounts = (row: ListRow, counts: ListCounts | undefined): ListWithCounts => ({
  ...row,
  form: formOf(row.form),
  counts: counts ?? { ...NO_COUNTS },
});

/** Member counts by status for some lists, read from the (list, status, subscriber) index. */
async function countsFor(db: Database, ids: string[]): Promise<Map<string, ListCounts>> {
  const out = new Map<string, ListCounts>(
    ids.map((id) => [id, { unconfirmed: 0, confirmed: 0, unsubscribed: 0 }]),
  );
  if (ids.length === 0) return out;
  const rows = await db
    .select({ listId: listMemberships.listId, status: listMemberships.status, n: count() })
    .from(listMemberships)
    .where(inArray(listMemberships.listId, ids))
    .groupBy(listMemberships.listId, listMemberships.status);
  for (const r of rows) {
    const c = out.get(r.listId);
    if (c) c[r.status] = r.n;
  }
  return out;
}

/** Live lists by default; `archived: true` lists the archived ones instead. */
export async function listLists(
  db: Database,
  q: { limit: number; cursor?: string; archived?: boolean },
): Promise<Page<ListWithCounts>> {
  const after = decodeCursor(q.cursor);
  const shown = q.archived ? isNotNull(lists.archivedAt) : isNull(lists.archivedAt);
  const rows = await db
    .select()
    .from(lists)
    .where(and(shown, after ? gt(lists.id, after.id) : undefined))
    .orderBy(asc(lists.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const counts = await countsFor(
    db,
    page.map((r) => r.id),
  );
  const [total] = await db.select({ n: count() }).from(lists).where(shown);
  const last = page.at(-1);
  return {
    data: page.map((r) => withCounts(r, counts.get(r.id))),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    total: total?.n,
  };
}

export async function getList(db: Database, id: string): Promise<ListWithCounts> {
  const [row] = await db.select().from(lists).where(eq(lists.id, id));
  if (!row) throw NotFoundError("List");
  const counts = await countsFor(db, [id]);
  return withCounts(row, counts.get(id));
}

export async function createList({ db, actor }: DomainContext, input: CreateList): Promise<ListWithCounts> {
  const form = input.form ? mergeForm(null, input.form) : null;
  if (form) await assertFormFields(db, form);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(lists)
      .values({
        name: input.name,
        description: input.description ?? null,
        optIn: input.optIn,
        visibility: input.visibility,
        language: input.language ?? null,
        form,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await emitAudit(tx, actor, { action: "list.create", entity: "list", entityId: row.id, after: row });
    return withCounts(row, undefined);
  });
}

export async function updateList(
  { db, actor }: DomainContext,
  id: string,
  input: UpdateList,
): Promise<ListWithCounts> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(lists).where(eq(lists.id, id)).for("update");
    if (!before) throw NotFoundError("List");
    const { form: formPatch, ...rest } = input;
    const form = formPatch ? mergeForm(before.form, formPatch) : undefined;
    if (form) await assertFormFields(tx, form);
    const [row] = await tx
      .update(lists)
      .set(touch({ ...rest, ...(form ? { form } : {}) }))
      .where(eq(lists.id, id))
      .returning();
    await emitAudit(tx, actor, { action: "list.update", entity: "list", entityId: id, before, after: row });
  });
  return getList(db, id);
}

/**
 * Deletes a list that never had members. A list with memberships of any status (an unsubscribe is
 * a consent record too) is archived instead: its memberships stay, it takes no one new
 * (`assertListsOpen`) and leaves the default listing. Erasure stays the way to remove a person.
 */
export async function deleteList({ db, actor }: DomainContext, id: string): Promise<"deleted" | "archived"> {
  return db.transaction(async (tx) => {
    // The row lock also waits for a membership being added now (its foreign key check locks the row).
    const [before] = await tx.select().from(lists).where(eq(lists.id, id)).for("update");
    if (!before) throw NotFoundError("List");
    const [member] = await tx
      .select({ one: sql`1` })
      .from(listMemberships)
      .where(eq(listMemberships.listId, id))
      .limit(1);
    if (!member) {
      await tx.delete(lists).where(eq(lists.id, id));
      await emitAudit(tx, actor, { action: "list.delete", entity: "list", entityId: id, before });
      return "deleted";
    }
    if (before.archivedAt) return "archived";
    const [after] = await tx
      .update(lists)
      .set({ archivedAt: new Date() })
      .where(eq(lists.id, id))
      .returning();
    await emitAudit(tx, actor, { action: "list.archive", entity: "list", entityId: id, before, after });
    return "archived";
  });
}

/** Throws 400 naming the ids that are not lists. */
export async function assertListsExist(db: Database, ids: string[]): Promise<ListRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(lists).where(inArray(lists.id, ids));
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) {
    throw new AppError("validation_failed", `Unknown list id: ${missing.join(", ")}`, [
      { path: ["listIds"], message: `unknown list id ${missing.join(", ")}` },
    ]);
  }
  return rows;
}

/** Like `assertListsExist`, and 422 naming the archived ones: only live lists take new members. */
export async function assertListsOpen(db: Database, ids: string[]): Promise<ListRow[]> {
  const rows = await assertListsExist(db, ids);
  const archived = rows.filter((r) => r.archivedAt !== null);
  if (archived.length > 0) {
    const names = archived.map((r) => `"${r.name}"`).join(", ");
    const what =
      archived.length === 1
        ? `The list ${names} is archived and takes`
        : `The lists ${names} are archived and take`;
    throw RuleError(`${what} no new members`, [
      { path: ["listIds"], message: `archived: ${archived.map((r) => r.id).join(", ")}` },
    ]);
  }
  return rows;
}

import { and, asc, count, eq, gt, inArray, isNotNull, isNull, lt, type SQL, sql } from "drizzle-orm";
import { type CampaignStatus, campaigns, campaignVariants } from "../../../schema/campaigns";
import { touch } from "../../../schema/columns";
import { segments } from "../../../schema/segments";
import { sends } from "../../../schema/sends";
import { templates } from "../../../schema/templates";
import type { CreateCampaign, UpdateCampaign } from "../../contract/campaigns";
import type { Database } from "../../lib/db";
import { AppError, ConflictError, NotFoundError } from "../../lib/errors";
import { assertListsExist } from "../audience/lists";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import { decodeCursor, decodeTimeCursor, encodeCursor, type Page } from "../pagination";
import { assertRelayExists } from "../sending/relays/relays";

export type CampaignRow = typeof campaigns.$inferSelect;
export type VariantRow = typeof campaignVariants.$inferSelect;
export type CampaignView = CampaignRow & { variants: VariantRow[] };

/** An archived campaign is kept as a record: it can be read, never changed again (409). */
export function assertNotArchived(row: { archivedAt: Date | null }): void {
  if (row.archivedAt) throw ConflictError("This campaign is archived: it can be read but no longer changed");
}

const invalid = (path: string, message: string) =>
  new AppError("validation_failed", message, [{ path: [path], message }]);

/** The templates a campaign names exist, are live and are campaign templates. */
async function assertTemplates(db: Database, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const rows = await db
    .select({ id: templates.id, kind: templates.kind })
    .from(templates)
    .where(and(inArray(templates.id, unique), isNull(templates.deletedAt)));
  for (const id of unique) {
    const row = rows.find((r) => r.id === id);
    if (!row) throw invalid("templateId", `Unknown template id: ${id}`);
    if (row.kind !== "campaign")
      throw invalid("templateId", "Campaigns need a campaign template (with an unsubscribe link)");
  }
}

/** Checks every reference of a campaign's settings (400 naming the field). */
async function assertReferences(db: Database, input: Partial<CreateCampaign>): Promise<void> {
  const templateIds = [
    ...(input.templateId ? [input.templateId] : []),
    ...(input.abTest?.variants.flatMap((v) => (v.templateId ? [v.templateId] : [])) ?? []),
  ];
  if (templateIds.length > 0) await assertTemplates(db, templateIds);
  if (input.listIds?.length) await assertListsExist(db, input.listIds);
  if (input.segmentId) {
    const [row] = await db.select({ id: segments.id }).from(segments).where(eq(segments.id, input.segmentId));
    if (!row) throw invalid("segmentId", `Unknown segment id: ${input.segmentId}`);
  }
  if (input.relayId) await assertRelayExists(db, input.relayId, ["relayId"], { bulk: true });
}

async function variantsOf(db: Database, ids: string[]): Promise<Map<string, VariantRow[]>> {
  const out = new Map<string, VariantRow[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .select()
    .from(campaignVariants)
    .where(inArray(campaignVariants.campaignId, ids))
    .orderBy(asc(campaignVariants.position));
  for (const r of rows) out.get(r.campaignId)?.push(r);
  return out;
}

export async function listCampaigns(
  db: Database,
  q: {
    limit: number;
    cursor?: string;
    status?: CampaignStatus[];
    order?: "asc" | "desc";
    sort?: "created" | "started";
    archived?: boolean;
  },
): Promise<Page<CampaignView>> {
  const filter = and(
    q.archived ? isNotNull(campaigns.archivedAt) : isNull(campaigns.archivedAt),
    q.status?.length ? inArray(campaigns.status, q.status) : undefined,
  );
  const desc = q.order !== "asc";
  const rows =
    q.sort === "started" ? await byStart(db, filter, desc, q) : await byCreation(db, filter, desc, q);
  const data = rows.slice(0, q.limit);
  const variants = await variantsOf(
    db,
    data.map((r) => r.id),
  );
  const [total] = await db.select({ n: count() }).from(campaigns).where(filter);
  const last = data.at(-1);
  const key = (r: CampaignRow) =>
    q.sort === "started" ? { t: (r.startedAt ?? r.createdAt).toISOString(), id: r.id } : { id: r.id };
  return {
    data: data.map((r) => ({ ...r, variants: variants.get(r.id) ?? [] })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(key(last)) : null,
    total: total?.n,
  };
}

type ListPage = { limit: number; cursor?: string };

/** Ids are UUIDv7, so id order is creation order: newest first unless asked otherwise. */
async function byCreation(db: Database, filter: SQL | undefined, desc: boolean, q: ListPage) {
  const after = decodeCursor(q.cursor);
  return db
    .select()
    .from(campaigns)
    .where(and(filter, after ? (desc ? lt(campaigns.id, after.id) : gt(campaigns.id, after.id)) : undefined))
    .orderBy(desc ? sql`${campaigns.id} desc` : asc(campaigns.id))
    .limit(q.limit + 1);
}

/** By when sending started (creation for those never started), then id: the analytics order. */
async function byStart(db: Database, filter: SQL | undefined, desc: boolean, q: ListPage) {
  const after = decodeTimeCursor(q.cursor);
  const at = sql`coalesce(${campaigns.startedAt}, ${campaigns.createdAt})`;
  const dir = sql.raw(desc ? "desc" : "asc");
  const past = after
    ? desc
      ? sql`(${at}, ${campaigns.id}) < (${after.t.toISOString()}::timestamptz, ${after.id}::uuid)`
      : sql`(${at}, ${campaigns.id}) > (${after.t.toISOString()}::timestamptz, ${after.id}::uuid)`
    : undefined;
  return db
    .select()
    .from(campaigns)
    .where(and(filter, past))
    .orderBy(sql`${at} ${dir}`, sql`${campaigns.id} ${dir}`)
    .limit(q.limit + 1);
}

export async function getCampaign(db: Database, id: string): Promise<CampaignView> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  if (!row) throw NotFoundError("Campaign");
  return { ...row, variants: (await variantsOf(db, [id])).get(id) ?? [] };
}

/** Locks the campaign row for a state change in `tx`. */
export async function lockCampaign(tx: Database, id: string): Promise<CampaignRow> {
  const [row] = await tx.select().from(campaigns).where(eq(campaigns.id, id)).for("update");
  if (!row) throw NotFoundError("Campaign");
  return row;
}

async function writeVariants(tx: Database, campaignId: string, ab: CreateCampaign["abTest"]): Promise<void> {
  await tx.delete(campaignVariants).where(eq(campaignVariants.campaignId, campaignId));
  if (!ab) return;
  await tx.insert(campaignVariants).values(
    ab.variants.map((v, position) => ({
      campaignId,
      name: v.name,
      subject: v.subject ?? null,
      templateId: v.templateId ?? null,
      position,
    })),
  );
}

export async function createCampaign(
  { db, actor }: DomainContext,
  input: CreateCampaign,
): Promise<CampaignView> {
  await assertReferences(db, input);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(campaigns)
      .values({
        name: input.name,
        templateId: input.templateId,
        listIds: input.listIds,
        segmentId: input.segmentId ?? null,
        fromName: input.fromName,
        fromEmail: input.fromEmail,
        replyTo: input.replyTo ?? null,
        relayId: input.relayId ?? null,
        abTest: input.abTest ?? null,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await writeVariants(tx, row.id, input.abTest);
    await emitAudit(tx, actor, {
      action: "campaign.create",
      entity: "campaign",
      entityId: row.id,
      after: row,
    });
    return row.id;
  });
  return getCampaign(db, id);
}

/** Drafts are freely editable; afterwards only the name may change (409 otherwise). */
export async function updateCampaign(
  { db, actor }: DomainContext,
  id: string,
  input: UpdateCampaign,
): Promise<CampaignView> {
  await assertReferences(db, input);
  await db.transaction(async (tx) => {
    const before = await lockCampaign(tx, id);
    assertNotArchived(before);
    const { name, abTest, ...rest } = input;
    const content = Object.values({ ...rest, abTest }).some((v) => v !== undefined);
    if (content && before.status !== "draft") {
      throw ConflictError(
        `Only drafts can be edited; this campaign is ${before.status}${before.status === "scheduled" ? " (unschedule it first)" : ""}`,
      );
    }
    const [row] = await tx
      .update(campaigns)
      .set(
        touch({
          ...(name === undefined ? {} : { name }),
          ...rest,
          ...(abTest === undefined ? {} : { abTest }),
        }),
      )
      .where(eq(campaigns.id, id))
      .returning();
    if (abTest !== undefined) await writeVariants(tx, id, abTest);
    await emitAudit(tx, actor, {
      action: "campaign.update",
      entity: "campaign",
      entityId: id,
      before,
      after: row,
    });
  });
  return getCampaign(db, id);
}

/**
 * Deletes a campaign that never started sending. One that did is archived instead: it leaves the
 * default listing but keeps its ledger, events and rollups (a late bounce still finds its send),
 * and can no longer change. Refused (409) while it runs: cancel it first.
 */
export async function deleteCampaign(
  { db, actor }: DomainContext,
  id: string,
): Promise<"deleted" | "archived"> {
  return db.transaction(async (tx) => {
    const before = await lockCampaign(tx, id);
    if (["sending", "testing", "paused"].includes(before.status)) {
      throw ConflictError(`A ${before.status} campaign cannot be deleted: cancel it first`);
    }
    const [sent] = await tx.select({ one: sql`1` }).from(sends).where(eq(sends.campaignId, id)).limit(1);
    if (before.startedAt === null && !sent) {
      await tx.delete(campaigns).where(eq(campaigns.id, id));
      await emitAudit(tx, actor, { action: "campaign.delete", entity: "campaign", entityId: id, before });
      return "deleted";
    }
    if (before.archivedAt) return "archived";
    const [after] = await tx
      .update(campaigns)
      .set({ archivedAt: new Date() })
      .where(eq(campaigns.id, id))
      .returning();
    await emitAudit(tx, actor, {
      action: "campaign.archive",
      entity: "campaign",
      entityId: id,
      before,
      after,
    });
    return "archived";
  });
}

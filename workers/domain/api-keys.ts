import { and, count, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { newId } from "../../schema/columns";
import { apiKeys } from "../../schema/users";
import type { CreateApiKey } from "../api/schemas/api-keys";
import { randomToken, sha256Hex, timingSafeEqual } from "../lib/crypto";
import type { Database } from "../lib/db";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { type Actor, hasRole } from "./actor";
import { emitAudit } from "./audit";
import { decodeCursor, encodeCursor, type Page } from "./pagination";

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type PublicApiKey = Omit<ApiKeyRow, "secretHash" | "updatedAt">;

function publicKey(row: ApiKeyRow): PublicApiKey {
  const { secretHash: _hidden, updatedAt: _u, ...rest } = row;
  return rest;
}

/** Keys look like `ep_<32 hex id>_<43 base64url secret>`. */
const KEY_PATTERN = /^ep_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export const looksLikeApiKey = (token: string) => token.startsWith("ep_");

function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function createApiKey(
  { db, actor }: { db: Database; actor: Actor },
  input: CreateApiKey,
): Promise<PublicApiKey & { key: string }> {
  if (!hasRole(actor.role, input.role))
    throw ForbiddenError(`Your role cannot create a key with the ${input.role} role`);
  const id = newId();
  const secret = randomToken(32);
  const key = `ep_${id.replace(/-/g, "")}_${secret}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        id,
        name: input.name,
        role: input.role,
        prefix: key.slice(0, 12),
        secretHash: await sha256Hex(secret),
        createdById: actor.type === "user" ? actor.id : null,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const shown = publicKey(row);
    await emitAudit(tx, actor, { action: "api_key.create", entity: "api_key", entityId: id, after: shown });
    return { ...shown, key };
  });
}

export async function listApiKeys(
  db: Database,
  q: { limit: number; cursor?: string },
): Promise<Page<PublicApiKey>> {
  const after = decodeCursor(q.cursor);
  const rows = await db
    .select()
    .from(apiKeys)
    .where(after ? lt(apiKeys.id, after.id) : undefined)
    .orderBy(desc(apiKeys.id))
    .limit(q.limit + 1);
  const [total] = await db.select({ n: count() }).from(apiKeys);
  const data = rows.slice(0, q.limit).map(publicKey);
  const last = data.at(-1);
  return {
    data,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    total: total?.n,
  };
}

export async function revokeApiKey({ db, actor }: { db: Database; actor: Actor }, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for("update");
    if (!before || before.revokedAt) throw NotFoundError("API key");
    if (!hasRole(actor.role, before.role))
      throw ForbiddenError("Your role cannot revoke a key stronger than itself");
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, id))
      .returning();
    await emitAudit(tx, actor, {
      action: "api_key.revoke",
      entity: "api_key",
      entityId: id,
      before: publicKey(before),
      after: row ? publicKey(row) : null,
    });
  });
}

/**
 * Resolves an API key to its row: looked up by its id part, then the secret's hash compared in
 * constant time. Null for a malformed, unknown, wrong or revoked key.
 */
export async function authenticateApiKey(db: Database, token: string): Promise<ApiKeyRow | null> {
  const m = KEY_PATTERN.exec(token);
  if (!m?.[1] || !m[2]) return null;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, uuidFromHex(m[1])), isNull(apiKeys.revokedAt)));
  const hash = await sha256Hex(m[2]);
  if (!row || !timingSafeEqual(hash, row.secretHash)) return null;
  return row;
}

/** Marks a key used, at most once a minute, so busy keys do not write on every request. */
export async function touchApiKey(db: Database, id: string): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.id, id),
        sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - interval '1 minute')`,
      ),
    );
}

import { and, count, desc, eq, getTableColumns, isNull, lt, sql } from "drizzle-orm";
import { newId } from "../../schema/columns";
import { apiKeys, type Role, users } from "../../schema/users";
import type { CreateApiKey } from "../contract/api-keys";
import { randomToken, sha256Hex, timingSafeEqual } from "../lib/crypto";
import type { Database } from "../lib/db";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { type Actor, hasRole, weakerRole } from "./actor";
import { emitAudit } from "./audit";
import type { DomainContext } from "./context";
import { decodeCursor, encodeCursor, type Page } from "./pagination";

export type ApiKeyRow = typeof apiKeys.$inferSelect;
type KeyFields = Omit<ApiKeyRow, "secretHash" | "updatedAt">;

/** The person a key acts for: every key answers to the user who made it (directly or through a key). */
export interface ApiKeyCreator {
  id: string;
  name: string;
  email: string;
}

export interface PublicApiKey extends KeyFields {
  createdBy: ApiKeyCreator | null;
  /** The key's role capped by its creator's current role; null when no one stands behind it. */
  effectiveRole: Role | null;
}

/** A key that authenticated, with the role it acts with now. */
export interface AuthenticatedApiKey extends ApiKeyRow {
  effectiveRole: Role;
}

function keyFields(row: ApiKeyRow): KeyFields {
  const { secretHash: _hidden, updatedAt: _u, ...rest } = row;
  return rest;
}

function publicKey(row: ApiKeyRow, creator: (ApiKeyCreator & { role: Role }) | null): PublicApiKey {
  return {
    ...keyFields(row),
    createdBy: creator ? { id: creator.id, name: creator.name, email: creator.email } : null,
    effectiveRole: creator ? weakerRole(row.role, creator.role) : null,
  };
}

const creatorColumns = { id: users.id, name: users.name, email: users.email, role: users.role };

/** Keys look like `ep_<32 hex id>_<43 base64url secret>`. */
const KEY_PATTERN = /^ep_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export const looksLikeApiKey = (token: string) => token.startsWith("ep_");

function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The user behind the actor: the user themself, or the person a key acts for. */
async function personBehind(tx: Database, actor: Actor) {
  if (!actor.id) return undefined;
  if (actor.type === "user") {
    const [user] = await tx.select(creatorColumns).from(users).where(eq(users.id, actor.id));
    return user;
  }
  if (actor.type !== "api_key") return undefined;
  const [user] = await tx
    .select(creatorColumns)
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdById))
    .where(eq(apiKeys.id, actor.id));
  return user;
}

export async function createApiKey(
  { db, actor }: DomainContext,
  input: CreateApiKey,
): Promise<PublicApiKey & { key: string }> {
  if (!hasRole(actor.role, input.role))
    throw ForbiddenError(`Your role cannot create a key with the ${input.role} role`);
  const id = newId();
  const secret = randomToken(32);
  const key = `ep_${id.replace(/-/g, "")}_${secret}`;
  return db.transaction(async (tx) => {
    // A key made by a key answers to the same person, so demoting or deleting them reaches it too.
    const creator = await personBehind(tx, actor);
    if (!creator) throw ForbiddenError("Only a person, or a key acting for one, can create API keys");
    const [row] = await tx
      .insert(apiKeys)
      .values({
        id,
        name: input.name,
        role: input.role,
        prefix: key.slice(0, 12),
        secretHash: await sha256Hex(secret),
        createdById: creator.id,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const shown = publicKey(row, creator);
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
    .select({ key: getTableColumns(apiKeys), creator: creatorColumns })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdById))
    .where(after ? lt(apiKeys.id, after.id) : undefined)
    .orderBy(desc(apiKeys.id))
    .limit(q.limit + 1);
  const [total] = await db.select({ n: count() }).from(apiKeys);
  const data = rows.slice(0, q.limit).map((r) => publicKey(r.key, r.creator));
  const last = data.at(-1);
  return {
    data,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    total: total?.n,
  };
}

export async function revokeApiKey({ db, actor }: DomainContext, id: string): Promise<void> {
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
      before: keyFields(before),
      after: row ? keyFields(row) : null,
    });
  });
}

/** Revokes every live key a user made, one audit row each; runs in the transaction deleting them. */
export async function revokeKeysOf(tx: Database, actor: Actor, userId: string): Promise<void> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.createdById, userId), isNull(apiKeys.revokedAt)))
    .returning();
  for (const row of rows) {
    await emitAudit(tx, actor, {
      action: "api_key.revoke",
      entity: "api_key",
      entityId: row.id,
      before: { revokedAt: null },
      after: { revokedAt: row.revokedAt, reason: "its creator was deleted" },
    });
  }
}

/**
 * Resolves an API key: looked up by its id part together with its creator (one query), then the
 * secret's hash compared in constant time. The key acts with its role capped by the creator's
 * current role. Null for a malformed, unknown, wrong or revoked key, or one whose creator is gone.
 */
export async function authenticateApiKey(db: Database, token: string): Promise<AuthenticatedApiKey | null> {
  const m = KEY_PATTERN.exec(token);
  if (!m?.[1] || !m[2]) return null;
  const [found] = await db
    .select({ key: getTableColumns(apiKeys), creatorRole: users.role })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdById))
    .where(and(eq(apiKeys.id, uuidFromHex(m[1])), isNull(apiKeys.revokedAt)));
  const hash = await sha256Hex(m[2]);
  if (!found || !timingSafeEqual(hash, found.key.secretHash)) return null;
  return { ...found.key, effectiveRole: weakerRole(found.key.role, found.creatorRole) };
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

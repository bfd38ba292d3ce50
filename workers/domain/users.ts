import { and, asc, count, eq, gt, ne, sql } from "drizzle-orm";
import { touch } from "../../schema/columns";
import { type Role, refreshTokens, users } from "../../schema/users";
import type { CreateUser, UpdateUser } from "../contract/users";
import { hashPassword } from "../lib/crypto";
import type { Database } from "../lib/db";
import { ConflictError, ForbiddenError, NotFoundError, RuleError } from "../lib/errors";
import { isUniqueViolation } from "../lib/pg-errors";
import { issueAccountToken } from "./account-tokens";
import { type Actor, hasRole } from "./actor";
import { revokeKeysOf } from "./api-keys";
import { emitAudit } from "./audit";
import type { DomainContext } from "./context";
import { decodeCursor, encodeCursor, type Page } from "./pagination";

export type UserRow = typeof users.$inferSelect;
/** A user as the API shows it: never the password hash, only whether one is set yet. */
export type PublicUser = Omit<UserRow, "passwordHash"> & { pending: boolean };

export function publicUser(row: UserRow): PublicUser {
  const { passwordHash, ...rest } = row;
  return { ...rest, pending: passwordHash === null };
}

interface Deps extends DomainContext {
  pepper: string;
}

/** Nobody may hand out a role above their own, and only owners touch owners. */
function assertMayAssign(actor: Actor, role: Role) {
  if (!hasRole(actor.role, role)) throw ForbiddenError(`Your role cannot grant the ${role} role`);
}

/** Everyone may choose their own language; anything else about a user takes an admin. */
function onlyOwnLocale(actor: Actor, id: string, input: UpdateUser): boolean {
  const keys = Object.keys(input).filter((k) => input[k as keyof UpdateUser] !== undefined);
  return actor.type === "user" && actor.id === id && keys.every((k) => k === "locale");
}

function assertMayUpdate(actor: Actor, id: string, input: UpdateUser) {
  if (hasRole(actor.role, "admin") || onlyOwnLocale(actor, id, input)) return;
  throw ForbiddenError("This needs the admin role or higher (anyone may change their own language)");
}

export async function listUsers(
  db: Database,
  q: { limit: number; cursor?: string },
): Promise<Page<PublicUser>> {
  const after = decodeCursor(q.cursor);
  const rows = await db
    .select()
    .from(users)
    .where(after ? gt(users.id, after.id) : undefined)
    .orderBy(asc(users.id))
    .limit(q.limit + 1);
  const [total] = await db.select({ n: count() }).from(users);
  const data = rows.slice(0, q.limit).map(publicUser);
  const last = data.at(-1);
  return {
    data,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    total: total?.n,
  };
}

export async function getUser(db: Database, id: string): Promise<PublicUser> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  if (!row) throw NotFoundError("User");
  return publicUser(row);
}

/**
 * Creates a user. With a password they can sign in at once; without one they are invited: the
 * answer carries the token of their invitation link (made in the same transaction) to mail.
 */
export async function createUser(
  { db, actor, pepper }: Deps,
  input: CreateUser,
): Promise<{ user: PublicUser; invitation: string | null }> {
  assertMayAssign(actor, input.role);
  const passwordHash = input.password ? await hashPassword(input.password, pepper) : null;
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name, role: input.role, passwordHash })
        .returning();
      if (!row) throw new Error("insert returned nothing");
      const user = publicUser(row);
      const invitation = passwordHash ? null : await issueAccountToken(tx, row.id, "invite");
      const action = invitation ? "user.invite" : "user.create";
      await emitAudit(tx, actor, { action, entity: "user", entityId: row.id, after: user });
      return { user, invitation };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw ConflictError("A user with this email already exists");
    throw err;
  }
}

export async function updateUser(
  { db, actor, pepper }: Deps,
  id: string,
  input: UpdateUser,
): Promise<PublicUser> {
  const passwordHash = input.password ? await hashPassword(input.password, pepper) : undefined;
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx.select().from(users).where(eq(users.id, id)).for("update");
      if (!before) throw NotFoundError("User");
      assertMayUpdate(actor, id, input);
      if (before.role === "owner" && actor.role !== "owner" && !onlyOwnLocale(actor, id, input))
        throw ForbiddenError("Only owners can change owners");
      if (input.role && input.role !== before.role) {
        if (actor.type === "user" && actor.id === id) throw RuleError("You cannot change your own role");
        assertMayAssign(actor, input.role);
        if (before.role === "owner") await assertAnotherOwner(tx, id);
      }
      const [row] = await tx
        .update(users)
        .set(
          touch({
            email: input.email,
            name: input.name,
            role: input.role,
            passwordHash,
            locale: input.locale,
          }),
        )
        .where(eq(users.id, id))
        .returning();
      if (!row) throw NotFoundError("User");
      // A new password ends every existing session of that user.
      if (passwordHash) {
        await tx
          .update(refreshTokens)
          .set({ revokedAt: sql`now()` })
          .where(and(eq(refreshTokens.userId, id), sql`${refreshTokens.revokedAt} is null`));
      }
      const after = publicUser(row);
      const auditAfter = passwordHash ? { ...after, password: "changed" } : after;
      await emitAudit(tx, actor, {
        action: "user.update",
        entity: "user",
        entityId: id,
        before: publicUser(before),
        after: auditAfter,
      });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw ConflictError("A user with this email already exists");
    throw err;
  }
}

export async function deleteUser({ db, actor }: DomainContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id)).for("update");
    if (!before) throw NotFoundError("User");
    if (actor.type === "user" && actor.id === id) throw RuleError("You cannot delete your own account");
    if (before.role === "owner") {
      if (actor.role !== "owner") throw ForbiddenError("Only owners can remove owners");
      await assertAnotherOwner(tx, id);
    }
    // Their keys stop with them: revoked (and audited) in this transaction, not left creator-less.
    await revokeKeysOf(tx, actor, id);
    await tx.delete(users).where(eq(users.id, id));
    await emitAudit(tx, actor, {
      action: "user.delete",
      entity: "user",
      entityId: id,
      before: publicUser(before),
    });
  });
}

/** Locks the other owners' rows so two concurrent demotions cannot both pass. */
async function assertAnotherOwner(tx: Database, exceptId: string) {
  const others = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "owner"), ne(users.id, exceptId)))
    .for("update");
  if (others.length === 0) throw RuleError("The last owner cannot be removed or demoted");
}

import { and, eq, isNull, sql } from "drizzle-orm";
import { newId } from "../../schema/columns";
import { type Role, refreshTokens, users } from "../../schema/users";
import { REFRESH_TOKEN_PATTERN, type Setup } from "../contract/auth";
import {
  DUMMY_PASSWORD_HASH,
  hashPassword,
  randomToken,
  sha256Hex,
  timingSafeEqual,
  verifyPassword,
} from "../lib/crypto";
import type { Database } from "../lib/db";
import { ConflictError, UnauthorizedError } from "../lib/errors";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from "../lib/jwt";
import type { Actor } from "./actor";
import { emitAudit } from "./audit";
import { countLoginAttempt, forgetLoginAttempt, LOCKOUT_SECONDS, throttled } from "./throttle";
import { type PublicUser, publicUser, type UserRow } from "./users";

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export interface AuthSecrets {
  jwtSecret: string;
  pepper: string;
}

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: PublicUser;
}

/** Issues an access token and the next refresh token of `familyId` (a new family for a new login). */
async function issueSession(
  tx: Database,
  secrets: AuthSecrets,
  user: UserRow,
  actor: Actor,
  familyId: string,
): Promise<SessionTokens> {
  const id = newId();
  const secret = randomToken(32);
  await tx.insert(refreshTokens).values({
    id,
    familyId,
    userId: user.id,
    secretHash: await sha256Hex(secret),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000),
    ip: actor.ip,
    userAgent: actor.userAgent?.slice(0, 500) ?? null,
  });
  return {
    accessToken: await signAccessToken({ sub: user.id, sid: familyId }, secrets.jwtSecret),
    refreshToken: `${id}.${secret}`,
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    user: publicUser(user),
  };
}

export async function needsSetup(db: Database): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return !row;
}

/**
 * Creates the first owner. An advisory lock makes two simultaneous setups queue up, so exactly one
 * succeeds and the other sees a user and gets 409.
 */
export async function setupOwner(db: Database, secrets: AuthSecrets, actor: Actor, input: Setup) {
  const passwordHash = await hashPassword(input.password, secrets.pepper);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('edgepost.setup'))`);
    if (!(await needsSetup(tx))) throw ConflictError("Setup is already done: sign in instead");
    const [user] = await tx
      .insert(users)
      .values({
        email: input.email,
        name: input.name,
        role: "owner" as Role,
        passwordHash,
        lastLoginAt: new Date(),
      })
      .returning();
    if (!user) throw new Error("insert returned nothing");
    const owner: Actor = { ...actor, type: "user", id: user.id, label: user.email, role: "owner" };
    await emitAudit(tx, owner, {
      action: "auth.setup",
      entity: "user",
      entityId: user.id,
      after: publicUser(user),
    });
    return issueSession(tx, secrets, user, owner, newId());
  });
}

export interface LoginHooks {
  /**
   * Called once per window when the account limit starts refusing sign-ins to an existing
   * account, so its owner can be told (after the response: the answer must not depend on it).
   */
  onAccountLimited?: (user: PublicUser, retryAfterSeconds: number) => void;
}

/**
 * Email and password sign-in. Every attempt is counted before its password is checked, per
 * (email, ip) and per email from any address (`throttle.ts`). The per-account limit does not
 * apply from an address where the account signed in within the refresh tokens' lifetime, so an
 * attacker elsewhere cannot lock the owner out. Unknown emails take the same queries, the same
 * hash work and the same answers as known ones (no enumeration).
 */
export async function login(
  db: Database,
  secrets: AuthSecrets,
  actor: Actor,
  input: { email: string; password: string },
  hooks: LoginHooks = {},
): Promise<SessionTokens> {
  const email = input.email.toLowerCase();
  const ip = actor.ip ?? "unknown";
  const count = await countLoginAttempt(db, email, ip);
  // Any unexpired refresh token issued to this address means the account signed in from it.
  const [found] = await db
    .select({ user: users, knownIp: sql<boolean>`${refreshTokens.id} is not null` })
    .from(users)
    .leftJoin(
      refreshTokens,
      and(
        eq(refreshTokens.userId, users.id),
        actor.ip ? eq(refreshTokens.ip, actor.ip) : sql`false`,
        sql`${refreshTokens.expiresAt} > now()`,
      ),
    )
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  const user = found?.user;
  if (count.accountLimitReached) {
    await emitAudit(db, { ...actor, label: email }, { action: "auth.account_limited", entity: "session" });
    if (user) hooks.onAccountLimited?.(publicUser(user), count.accountRetryAfter ?? LOCKOUT_SECONDS);
  }
  if (count.ipRetryAfter) throw throttled(count.ipRetryAfter);
  if (count.accountRetryAfter && !found?.knownIp) throw throttled(count.accountRetryAfter);
  // Verify against a dummy hash when the account does not exist, so both paths cost the same.
  const ok = await verifyPassword(input.password, secrets.pepper, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) {
    await emitAudit(db, { ...actor, label: email }, { action: "auth.login_failed", entity: "session" });
    throw UnauthorizedError("Email or password is incorrect");
  }
  return db.transaction(async (tx) => {
    await forgetLoginAttempt(tx, email, ip);
    const [row] = await tx
      .update(users)
      .set({ lastLoginAt: new Date() })
      .where(eq(users.id, user.id))
      .returning();
    const signedIn: Actor = { ...actor, type: "user", id: user.id, label: user.email, role: user.role };
    const familyId = newId();
    await emitAudit(tx, signedIn, { action: "auth.login", entity: "session", entityId: familyId });
    return issueSession(tx, secrets, row ?? user, signedIn, familyId);
  });
}

/** Splits `<id>.<secret>`; null when the shape is wrong (the id must be a UUID Postgres can parse). */
function parseRefreshToken(token: string): { id: string; secret: string } | null {
  const m = REFRESH_TOKEN_PATTERN.exec(token);
  return m?.[1] && m[2] ? { id: m[1], secret: m[2] } : null;
}

/** Looks up a refresh token and checks its secret in constant time; null when unknown or wrong. */
async function findRefreshToken(tx: Database, token: string) {
  const parsed = parseRefreshToken(token);
  if (!parsed) return null;
  const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, parsed.id)).for("update");
  if (!row) return null;
  return timingSafeEqual(await sha256Hex(parsed.secret), row.secretHash) ? row : null;
}

async function revokeFamily(tx: Database, familyId: string) {
  await tx
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/**
 * Rotates a refresh token: the presented one is spent and a new one issued in the same family.
 * A spent token presented again means it leaked, so the whole family is revoked.
 */
export async function refreshSession(db: Database, secrets: AuthSecrets, actor: Actor, token: string) {
  const outcome = await db.transaction(async (tx) => {
    const row = await findRefreshToken(tx, token);
    if (!row || row.revokedAt || row.expiresAt <= new Date()) return null;
    if (row.usedAt) {
      await revokeFamily(tx, row.familyId);
      await emitAudit(
        tx,
        { ...actor, type: "user", id: row.userId },
        { action: "auth.refresh_reuse", entity: "session", entityId: row.familyId },
      );
      return "reused" as const;
    }
    const [user] = await tx.select().from(users).where(eq(users.id, row.userId));
    if (!user) return null;
    await tx.update(refreshTokens).set({ usedAt: sql`now()` }).where(eq(refreshTokens.id, row.id));
    const me: Actor = { ...actor, type: "user", id: user.id, label: user.email, role: user.role };
    return issueSession(tx, secrets, user, me, row.familyId);
  });
  if (outcome === "reused")
    throw UnauthorizedError("Refresh token was already used; the session has been revoked");
  if (!outcome) throw UnauthorizedError("Refresh token is invalid or expired");
  return outcome;
}

/** Ends the session the refresh token belongs to (its whole family). Unknown tokens are a no-op. */
export async function logout(db: Database, actor: Actor, token: string): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await findRefreshToken(tx, token);
    if (!row) return;
    await revokeFamily(tx, row.familyId);
    await emitAudit(
      tx,
      { ...actor, type: "user", id: row.userId },
      { action: "auth.logout", entity: "session", entityId: row.familyId },
    );
  });
}

/** The signed-in user behind an access token, unless the user is gone or the session was revoked. */
export async function userForSession(db: Database, userId: string, familyId: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(
      and(
        eq(users.id, userId),
        sql`not exists (select 1 from ${refreshTokens} where ${refreshTokens.familyId} = ${familyId}
          and ${refreshTokens.revokedAt} is not null)`,
      ),
    );
  return row ?? null;
}

/** Housekeeping: drop refresh tokens that expired over a day ago. */
export async function purgeExpiredRefreshTokens(db: Database): Promise<number> {
  const rows = await db
    .delete(refreshTokens)
    .where(sql`${refreshTokens.expiresAt} < now() - interval '1 day'`)
    .returning({ id: refreshTokens.id });
  return rows.length;
}

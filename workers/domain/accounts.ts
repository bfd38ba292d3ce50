import { and, eq, isNull, sql } from "drizzle-orm";
import { accountTokens, refreshTokens, users } from "../../schema/users";
import { ACCOUNT_TOKEN_PATTERN } from "../contract/users";
import { hashPassword, sha256Hex, timingSafeEqual } from "../lib/crypto";
import type { Database } from "../lib/db";
import { AppError } from "../lib/errors";
import { issueAccountToken } from "./account-tokens";
import type { Actor } from "./actor";
import { emitAudit } from "./audit";
import { hitRateLimit, type RateLimit } from "./rate-limit";
import { type PublicUser, publicUser } from "./users";

/**
 * Invitations and password resets: a single-use link mailed to the account's address sets its
 * password. The link carries `<id>.<secret>`; only a SHA-256 of the secret is stored, so the
 * table alone opens nothing. Setting a password spends every open link of the user and ends all
 * their sessions.
 */

/** Reset requests per client address; beyond it a 429 (it says nothing about any account). */
export const RESET_IP_LIMIT: RateLimit = { limit: 10, windowSeconds: 15 * 60 };
/** Reset mails per address and hour: more requests are answered the same, and mail nothing. */
export const RESET_MAIL_LIMIT: RateLimit = { limit: 3, windowSeconds: 3600 };

export interface ResetRequest {
  user: PublicUser;
  token: string;
}

/**
 * "Forgot password?": a reset link for the account of `email` (an invited user gets a new way in
 * the same way), or null when there is no account or the address asked too often. The caller
 * answers the same (202) either way: nothing tells whether an account exists.
 */
export async function requestPasswordReset(
  db: Database,
  actor: Actor,
  email: string,
): Promise<ResetRequest | null> {
  await hitRateLimit(db, `password-reset:ip:${actor.ip ?? "unknown"}`, RESET_IP_LIMIT);
  const address = email.trim().toLowerCase();
  try {
    await hitRateLimit(db, `password-reset:email:${await sha256Hex(address)}`, RESET_MAIL_LIMIT);
  } catch (err) {
    if (err instanceof AppError && err.code === "rate_limited") return null;
    throw err;
  }
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${address}`);
  if (!user) return null;
  return db.transaction(async (tx) => {
    const token = await issueAccountToken(tx, user.id, "reset");
    await emitAudit(
      tx,
      { ...actor, label: address },
      { action: "user.password_reset_requested", entity: "user", entityId: user.id },
    );
    return { user: publicUser(user), token };
  });
}

const invalidLink = () =>
  new AppError(
    "rule_violation",
    "This link has expired or was already used. Ask for a new one from the sign-in page.",
    [{ path: ["token"], message: "This link has expired or was already used" }],
  );

/**
 * Sets the password of the token's user: the token must be unspent, unexpired and match. Spends
 * it and every other open token of the user, revokes their sessions, and audits, in one
 * transaction. Returns the account's email (for the sign-in that follows).
 */
export async function setPasswordWithToken(
  db: Database,
  pepper: string,
  actor: Actor,
  input: { token: string; password: string },
): Promise<{ email: string }> {
  const m = ACCOUNT_TOKEN_PATTERN.exec(input.token);
  if (!m?.[1] || !m[2]) throw invalidLink();
  const [id, secret] = [m[1], m[2]];
  const passwordHash = await hashPassword(input.password, pepper);
  const secretHash = await sha256Hex(secret);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(accountTokens).where(eq(accountTokens.id, id)).for("update");
    const valid =
      row && !row.usedAt && row.expiresAt > new Date() && timingSafeEqual(secretHash, row.secretHash);
    if (!row || !valid) throw invalidLink();
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, row.userId))
      .returning();
    if (!user) throw invalidLink();
    await tx
      .update(accountTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(accountTokens.userId, user.id), isNull(accountTokens.usedAt)));
    await tx
      .update(refreshTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(refreshTokens.userId, user.id), isNull(refreshTokens.revokedAt)));
    const self: Actor = { ...actor, type: "user", id: user.id, label: user.email, role: user.role };
    const action = row.purpose === "invite" ? "user.invitation_accepted" : "user.password_reset";
    await emitAudit(tx, self, { action, entity: "user", entityId: user.id, after: { password: "changed" } });
    return { email: user.email };
  });
}

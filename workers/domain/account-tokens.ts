import { newId } from "../../schema/columns";
import { type AccountTokenPurpose, accountTokens } from "../../schema/users";
import { randomToken, sha256Hex } from "../lib/crypto";
import type { Database } from "../lib/db";

/** An invitation is answered within days; a reset within the hour it was asked for. */
export const TOKEN_TTL_SECONDS: Record<AccountTokenPurpose, number> = {
  invite: 7 * 24 * 3600,
  reset: 3600,
};

/** Makes a link token for `userId` in the caller's transaction; returns `<id>.<secret>`. */
export async function issueAccountToken(
  tx: Database,
  userId: string,
  purpose: AccountTokenPurpose,
): Promise<string> {
  const id = newId();
  const secret = randomToken(32);
  await tx.insert(accountTokens).values({
    id,
    userId,
    purpose,
    secretHash: await sha256Hex(secret),
    expiresAt: new Date(Date.now() + TOKEN_TTL_SECONDS[purpose] * 1000),
  });
  return `${id}.${secret}`;
}

import { eq, inArray, sql } from "drizzle-orm";
import { type SuppressionReason, suppressions } from "../../../../schema/suppressions";
import type { Database } from "../../../lib/db";
import { emailHash, emailKey } from "../email";

/**
 * The one gate every send path calls (campaigns, transactional, workflows, confirmations):
 * returns the subset of `emails` that must not be mailed, by their suppression hash.
 */
export async function suppressedAmong(db: Database, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const byHash = new Map<string, string>();
  for (const e of emails) byHash.set(await emailHash(e), e);
  const rows = await db
    .select({ emailHash: suppressions.emailHash })
    .from(suppressions)
    .where(inArray(suppressions.emailHash, [...byHash.keys()]));
  const out = new Set<string>();
  for (const r of rows) {
    const e = byHash.get(r.emailHash);
    if (e !== undefined) out.add(e);
  }
  return out;
}

/** Why the address may not be mailed, or null when it may. */
export async function suppressionReason(db: Database, email: string): Promise<SuppressionReason | null> {
  const [row] = await db
    .select({ reason: suppressions.reason })
    .from(suppressions)
    .where(eq(suppressions.emailHash, await emailHash(email)));
  return row?.reason ?? null;
}

/** True when the address may not be mailed. */
export async function isSuppressed(db: Database, email: string): Promise<boolean> {
  return (await suppressedAmong(db, [email])).size > 0;
}

/**
 * Adds (or keeps) a suppression. An existing row keeps its first reason, except that a stronger
 * one (complaint, bounce) replaces a weaker one; `erased` clears the readable address.
 */
export async function suppressEmail(
  db: Database,
  email: string,
  reason: SuppressionReason,
  detail?: string | null,
): Promise<void> {
  const hash = await emailHash(email);
  const readable = reason === "erased" ? null : emailKey(email);
  await db
    .insert(suppressions)
    .values({ emailHash: hash, email: readable, reason, detail: detail ?? null })
    .onConflictDoUpdate({
      target: suppressions.emailHash,
      set: {
        email: reason === "erased" ? sql`null` : sql`coalesce(${suppressions.email}, excluded.email)`,
        reason: sql`case when excluded.reason in ('complaint', 'bounce', 'erased') then excluded.reason else ${suppressions.reason} end`,
        detail: sql`coalesce(excluded.detail, ${suppressions.detail})`,
      },
    });
}

import { asc, count, eq, gt, sql } from "drizzle-orm";
import { touch } from "../../../../schema/columns";
import { domains } from "../../../../schema/sending";
import type { Env } from "../../../env";
import { decryptSecret, encryptSecret } from "../../../lib/crypto";
import type { Database } from "../../../lib/db";
import { ConflictError, NotFoundError } from "../../../lib/errors";
import { isUniqueViolation } from "../../../lib/pg-errors";
import { type DkimKey, DkimSigner, generateDkimKeys } from "../../../mail/dkim/sign";
import { emitAudit } from "../../audit";
import type { DomainContext } from "../../context";
import { decodeCursor, encodeCursor, type Page } from "../../pagination";
import { type DnsRecord, domainRecords } from "./dns-records";

export type DomainRow = typeof domains.$inferSelect;
/** What the API shows: public keys and records, never a private key. */
export type DomainView = Omit<DomainRow, "dkimPrivateKeyEncrypted" | "ed25519PrivateKeyEncrypted"> & {
  records: DnsRecord[];
};

interface Deps extends DomainContext {
  env: Env;
}

export interface CreateDomainInput {
  domain: string;
  selector?: string;
  bounceDomain?: string | null;
  ed25519?: boolean;
}

export const viewDomain = ({
  dkimPrivateKeyEncrypted: _r,
  ed25519PrivateKeyEncrypted: _e,
  ...rest
}: DomainRow): DomainView => ({
  ...rest,
  records: domainRecords(rest),
});

/** A selector that changes monthly, so a rotated key never reuses a name: `ep202612`. */
export const defaultSelector = (now = new Date()) =>
  `ep${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, "0")}`;

export async function listDomains(
  db: Database,
  q: { limit: number; cursor?: string },
): Promise<Page<DomainView>> {
  const after = decodeCursor(q.cursor);
  const rows = await db
    .select()
    .from(domains)
    .where(after ? gt(domains.id, after.id) : undefined)
    .orderBy(asc(domains.id))
    .limit(q.limit + 1);
  const data = rows.slice(0, q.limit);
  const [total] = await db.select({ n: count() }).from(domains);
  const last = data.at(-1);
  return {
    data: data.map(viewDomain),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    total: total?.n,
  };
}

export async function getDomain(db: Database, id: string): Promise<DomainRow> {
  const [row] = await db.select().from(domains).where(eq(domains.id, id));
  if (!row) throw NotFoundError("Domain");
  return row;
}

/**
 * Adds a sending domain: generates its DKIM key pair(s) (private keys encrypted at rest under
 * ENCRYPTION_KEY) and returns the DNS records to publish. 409 when the domain exists.
 */
export async function createDomain({ db, actor, env }: Deps, input: CreateDomainInput): Promise<DomainView> {
  const keys = await generateDkimKeys({ ed25519: input.ed25519 ?? false });
  const selector = input.selector ?? defaultSelector();
  const values = {
    domain: input.domain,
    dkimSelector: selector,
    dkimPublicKey: keys.rsa.publicKey,
    dkimPrivateKeyEncrypted: await encryptSecret(env.ENCRYPTION_KEY, keys.rsa.privateKey),
    ed25519Selector: keys.ed25519 ? `${selector}e` : null,
    ed25519PublicKey: keys.ed25519?.publicKey ?? null,
    ed25519PrivateKeyEncrypted: keys.ed25519
      ? await encryptSecret(env.ENCRYPTION_KEY, keys.ed25519.privateKey)
      : null,
    bounceDomain: input.bounceDomain ?? null,
  };
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(domains).values(values).returning();
      if (!row) throw new Error("insert returned nothing");
      const view = viewDomain(row);
      await emitAudit(tx, actor, {
        action: "domain.create",
        entity: "domain",
        entityId: row.id,
        after: view,
      });
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw ConflictError(`The domain ${input.domain} is already set up`);
    throw err;
  }
}

export async function updateDomain(
  { db, actor }: DomainContext,
  id: string,
  input: { bounceDomain?: string | null },
): Promise<DomainView> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(domains).where(eq(domains.id, id)).for("update");
    if (!before) throw NotFoundError("Domain");
    const [row] = await tx.update(domains).set(touch(input)).where(eq(domains.id, id)).returning();
    if (!row) throw NotFoundError("Domain");
    const view = viewDomain(row);
    await emitAudit(tx, actor, {
      action: "domain.update",
      entity: "domain",
      entityId: id,
      before: viewDomain(before),
      after: view,
    });
    return view;
  });
}

export async function deleteDomain({ db, actor }: DomainContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.delete(domains).where(eq(domains.id, id)).returning();
    if (!before) throw NotFoundError("Domain");
    await emitAudit(tx, actor, {
      action: "domain.delete",
      entity: "domain",
      entityId: id,
      before: viewDomain(before),
    });
  });
}

/** Records the outcome of a DNS check: verified since the first success, or no longer verified. */
export async function markDomainVerified(
  { db, actor }: DomainContext,
  id: string,
  verified: boolean,
): Promise<DomainRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(domains)
      .set({ verifiedAt: verified ? sql`coalesce(${domains.verifiedAt}, now())` : null })
      .where(eq(domains.id, id))
      .returning();
    if (!row) throw NotFoundError("Domain");
    await emitAudit(tx, actor, {
      action: "domain.verify",
      entity: "domain",
      entityId: id,
      after: { verified },
    });
    return row;
  });
}

/** The domain row that signs mail from `address`: its own domain, else the nearest parent set up. */
export async function signingDomainFor(db: Database, address: string): Promise<DomainRow | null> {
  const host = address.slice(address.lastIndexOf("@") + 1).toLowerCase();
  const candidates = host.split(".").map((_, i, parts) => parts.slice(i).join("."));
  const rows = await db.select().from(domains).where(sql`lower(${domains.domain}) in ${candidates}`);
  // The longest match is the most specific domain.
  return rows.sort((a, b) => b.domain.length - a.domain.length)[0] ?? null;
}

/**
 * DKIM signers by domain row version: keys are decrypted and imported once per isolate (import
 * costs more than signing). CryptoKeys hold no I/O, so caching them across requests is safe.
 */
const signers = new Map<string, Promise<DkimSigner>>();

/** The signer for a domain row (RSA, plus Ed25519 when the domain has that key). */
export function dkimSignerFor(env: Env, row: DomainRow): Promise<DkimSigner> {
  const cacheKey = `${row.id}:${row.dkimSelector}:${row.updatedAt.getTime()}`;
  let signer = signers.get(cacheKey);
  if (!signer) {
    signer = (async () => {
      const keys: DkimKey[] = [
        {
          domain: row.domain,
          selector: row.dkimSelector,
          algorithm: "rsa-sha256",
          privateKey: await decryptSecret(env.ENCRYPTION_KEY, row.dkimPrivateKeyEncrypted),
        },
      ];
      if (row.ed25519Selector && row.ed25519PrivateKeyEncrypted) {
        keys.push({
          domain: row.domain,
          selector: row.ed25519Selector,
          algorithm: "ed25519-sha256",
          privateKey: await decryptSecret(env.ENCRYPTION_KEY, row.ed25519PrivateKeyEncrypted),
        });
      }
      return DkimSigner.create(keys);
    })();
    signer.catch(() => signers.delete(cacheKey));
    signers.set(cacheKey, signer);
  }
  return signer;
}

import { and, desc, eq, gte, lt, lte, or } from "drizzle-orm";
import { auditLogs } from "../../schema/audit";
import type { Database } from "../lib/db";
import type { Actor } from "./actor";
import { decodeTimeCursor, encodeCursor, type Page } from "./pagination";

const SECRET_KEY = /(password|secret|token|private|^key$|hash$)/i;

/** Deep copy with every secret-looking field replaced, so no audit row ever holds a credential. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? "[redacted]" : redact(v);
    return out;
  }
  return value;
}

/** For updates keep only the fields that changed, on both sides. */
export function diffOf(before?: object | null, after?: object | null): { before?: unknown; after?: unknown } {
  if (before && after) {
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    const bRec = redact(before) as Record<string, unknown>;
    const aRec = redact(after) as Record<string, unknown>;
    for (const k of new Set([...Object.keys(bRec), ...Object.keys(aRec)])) {
      if (k === "updatedAt") continue;
      if (JSON.stringify(bRec[k]) !== JSON.stringify(aRec[k])) {
        b[k] = bRec[k];
        a[k] = aRec[k];
      }
    }
    return { before: b, after: a };
  }
  return { ...(before ? { before: redact(before) } : {}), ...(after ? { after: redact(after) } : {}) };
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: object | null;
  after?: object | null;
}

/**
 * Writes one audit row. Pass the transaction that makes the change, so the row and the change
 * commit or roll back together.
 */
export async function emitAudit(tx: Database, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLogs).values({
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    diff: entry.before || entry.after ? diffOf(entry.before, entry.after) : null,
    ip: actor.ip,
    userAgent: actor.userAgent?.slice(0, 500) ?? null,
    requestId: actor.requestId,
  });
}

export interface AuditQuery {
  actorId?: string;
  entity?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export type AuditRow = typeof auditLogs.$inferSelect;

/** Newest first, keyset-paginated on (created_at, id). */
export async function listAuditLogs(db: Database, q: AuditQuery): Promise<Page<AuditRow>> {
  const conds = [];
  if (q.actorId) conds.push(eq(auditLogs.actorId, q.actorId));
  if (q.entity) conds.push(eq(auditLogs.entity, q.entity));
  if (q.from) conds.push(gte(auditLogs.createdAt, new Date(q.from)));
  if (q.to) conds.push(lte(auditLogs.createdAt, new Date(q.to)));
  const after = decodeTimeCursor(q.cursor);
  if (after) {
    const at = after.t;
    conds.push(or(lt(auditLogs.createdAt, at), and(eq(auditLogs.createdAt, at), lt(auditLogs.id, after.id))));
  }
  const rows = await db
    .select()
    .from(auditLogs)
    .where(and(...conds))
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
    .limit(q.limit + 1);
  const data = rows.slice(0, q.limit);
  const last = data.at(-1);
  return {
    data,
    nextCursor:
      rows.length > q.limit && last ? encodeCursor({ t: last.createdAt.toISOString(), id: last.id }) : null,
  };
}

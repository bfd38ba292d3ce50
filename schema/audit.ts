import { index, jsonb, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";

export const actorTypeEnum = pgEnum("actor_type", ["user", "api_key", "system", "public"]);

/** One row per mutation, written in the same transaction as the change it describes. */
export const auditLogs = pgTable(
  "audit_logs",
  {
    id: id(),
    actorType: actorTypeEnum("actor_type").notNull(),
    /** User or API key id; null for the system and for anonymous public actions. */
    actorId: uuid("actor_id"),
    actorLabel: text("actor_label"),
    /** `<entity>.<verb>`, e.g. `user.create`, `auth.login`. */
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    /** `{before?, after?}` with secrets removed. */
    diff: jsonb("diff").$type<{ before?: unknown; after?: unknown }>(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    index("audit_logs_created_idx").on(t.createdAt.desc(), t.id.desc()),
    index("audit_logs_actor_idx").on(t.actorId, t.createdAt.desc()),
    index("audit_logs_entity_idx").on(t.entity, t.createdAt.desc()),
    /** Rows about one record, e.g. everything an erasure scrubs (audience/privacy.ts). */
    index("audit_logs_entity_id_idx").on(t.entity, t.entityId),
  ],
);

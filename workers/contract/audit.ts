import { z } from "@hono/zod-openapi";

export const AuditLogSchema = z
  .object({
    id: z.string(),
    actorType: z.enum(["user", "api_key", "system", "public"]),
    actorId: z.string().nullable(),
    actorLabel: z.string().nullable(),
    /** The actor's current name (a user's name, an API key's), else the label recorded at the time. */
    actorName: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    /** What the entity is called (a campaign's name, a subscriber's address), where it can be told. */
    entityName: z.string().nullable(),
    diff: z.object({ before: z.unknown().optional(), after: z.unknown().optional() }).nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("AuditLog");
export type AuditLog = z.infer<typeof AuditLogSchema>;

export const AuditLogQuerySchema = z.object({
  actorId: z.string().uuid().optional(),
  entity: z.string().max(100).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
});

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
  .openapi("AuditLog", {
    example: {
      id: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
      actorType: "user",
      actorId: "0193b5a1-5f60-7172-8384-95a6b7c8d9ea",
      actorLabel: "Ada Lovelace",
      actorName: "Ada Lovelace",
      action: "campaign.send",
      entity: "campaign",
      entityId: "0193b5a1-1b2c-7d3e-8f40-5162738495a6",
      entityName: "March newsletter",
      diff: { before: { status: "draft" }, after: { status: "sending" } },
      ip: "203.0.113.7",
      userAgent: "Mozilla/5.0",
      requestId: "5f0c6a8e-2d1b-4c3a-9e7f-8a6b5c4d3e2f",
      createdAt: "2026-03-02T09:30:00.000Z",
    },
  });
export type AuditLog = z.infer<typeof AuditLogSchema>;

export const AuditLogQuerySchema = z.object({
  actorId: z.string().uuid().optional(),
  entity: z.string().max(100).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
});

import { z } from "@hono/zod-openapi";
import { RoleSchema } from "./common";

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: RoleSchema,
    /** The first characters of the key, enough to recognise it; never the secret. */
    prefix: z.string(),
    createdById: z.string().nullable(),
    /** The person the key acts for; null once they are deleted (their keys are revoked then). */
    createdBy: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    /** The role the key acts with now: its `role`, capped by its creator's current role. */
    effectiveRole: RoleSchema.nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("ApiKey");
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const CreateApiKeySchema = z
  .object({ name: z.string().trim().min(1).max(200), role: RoleSchema })
  .strict()
  .openapi("CreateApiKey");
export type CreateApiKey = z.infer<typeof CreateApiKeySchema>;

/** Returned once, at creation: the only time the full key is visible. */
export const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string() }).openapi("CreatedApiKey");
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

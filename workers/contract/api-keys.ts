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
  .openapi("ApiKey", {
    example: {
      id: "0193b5a1-a4b5-76c7-98d9-eafb0c1d2e3f",
      name: "CRM sync",
      role: "editor",
      prefix: "ep_3f9a",
      createdById: "0193b5a1-5f60-7172-8384-95a6b7c8d9ea",
      createdBy: {
        id: "0193b5a1-5f60-7172-8384-95a6b7c8d9ea",
        name: "Ada Lovelace",
        email: "ada@example.com",
      },
      effectiveRole: "editor",
      lastUsedAt: "2026-03-02T09:30:00.000Z",
      revokedAt: null,
      createdAt: "2026-03-02T09:30:00.000Z",
    },
  });
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const CreateApiKeySchema = z
  .object({ name: z.string().trim().min(1).max(200), role: RoleSchema })
  .strict()
  .openapi("CreateApiKey", { example: { name: "CRM sync", role: "editor" } });
export type CreateApiKey = z.infer<typeof CreateApiKeySchema>;

/** Returned once, at creation: the only time the full key is visible. */
export const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string() }).openapi("CreatedApiKey", {
  example: {
    id: "0193b5a1-a4b5-76c7-98d9-eafb0c1d2e3f",
    name: "CRM sync",
    role: "editor",
    prefix: "ep_3f9a",
    createdById: "0193b5a1-5f60-7172-8384-95a6b7c8d9ea",
    createdBy: { id: "0193b5a1-a4b5-76c7-98d9-eafb0c1d2e3f", name: "CRM sync", email: "ada@example.com" },
    effectiveRole: "editor",
    lastUsedAt: null,
    revokedAt: null,
    createdAt: "2026-03-02T09:30:00.000Z",
    key: "ep_3f9a…(shown once)",
  },
});
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

import { z } from "@hono/zod-openapi";
import { RoleSchema } from "./common";
import { PasswordSchema, UserSchema } from "./users";

export const SetupSchema = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254),
    password: PasswordSchema,
    name: z.string().trim().min(1).max(200),
  })
  .strict()
  .openapi("Setup");
export type Setup = z.infer<typeof SetupSchema>;

export const LoginSchema = z
  .object({ email: z.string().trim().toLowerCase().max(254), password: z.string().min(1).max(256) })
  .strict()
  .openapi("Login");
export type Login = z.infer<typeof LoginSchema>;

/** `<uuid id>.<43 base64url secret>`, exactly as login and refresh hand it out. */
export const REFRESH_TOKEN_PATTERN =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export const RefreshSchema = z
  .object({ refreshToken: z.string().regex(REFRESH_TOKEN_PATTERN, "Not a refresh token") })
  .strict()
  .openapi("Refresh");

export const SessionSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    /** Seconds until the access token expires. */
    expiresIn: z.number().int(),
    user: UserSchema,
  })
  .openapi("Session");
export type Session = z.infer<typeof SessionSchema>;

export const MeSchema = z
  .object({
    user: UserSchema.nullable(),
    /** Set when the caller is an API key rather than a person. */
    apiKey: z.object({ id: z.string(), name: z.string() }).nullable(),
    role: RoleSchema,
  })
  .openapi("Me");
export type Me = z.infer<typeof MeSchema>;

export const SetupStatusSchema = z.object({ needsSetup: z.boolean() }).openapi("SetupStatus");

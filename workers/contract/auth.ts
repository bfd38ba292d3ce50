import { z } from "@hono/zod-openapi";
import { RoleSchema } from "./common";
import { PasswordSchema, USER_EXAMPLE, UserSchema } from "./users";

export const SetupSchema = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254),
    password: PasswordSchema,
    name: z.string().trim().min(1).max(200),
  })
  .strict()
  .openapi("Setup", {
    example: { email: "ada@example.com", password: "choose a long passphrase", name: "Ada Lovelace" },
  });
export type Setup = z.infer<typeof SetupSchema>;

export const LoginSchema = z
  .object({ email: z.string().trim().toLowerCase().max(254), password: z.string().min(1).max(256) })
  .strict()
  .openapi("Login", { example: { email: "ada@example.com", password: "choose a long passphrase" } });
export type Login = z.infer<typeof LoginSchema>;

/** `<uuid id>.<43 base64url secret>`, exactly as login and refresh hand it out. */
export const REFRESH_TOKEN_PATTERN =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export const RefreshSchema = z
  .object({ refreshToken: z.string().regex(REFRESH_TOKEN_PATTERN, "Not a refresh token") })
  .strict()
  .openapi("Refresh", {
    example: {
      refreshToken: "0193b5a1-beef-7abc-8def-0123456789ab.q2Vx7mYd0u3kH4nT8pLw1sZf9RbC6aJe5GiK0oNhU3y",
    },
  });

export const SessionSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    /** Seconds until the access token expires. */
    expiresIn: z.number().int(),
    user: UserSchema,
  })
  .openapi("Session", {
    example: {
      accessToken: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMTkzIn0.c2lnbmF0dXJl",
      refreshToken: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMTkzIn0.c2lnbmF0dXJl",
      expiresIn: 900,
      user: USER_EXAMPLE,
    },
  });
export type Session = z.infer<typeof SessionSchema>;

export const MeSchema = z
  .object({
    user: UserSchema.nullable(),
    /** Set when the caller is an API key rather than a person. */
    apiKey: z.object({ id: z.string(), name: z.string() }).nullable(),
    role: RoleSchema,
  })
  .openapi("Me", {
    example: {
      user: USER_EXAMPLE,
      apiKey: { id: "0193b5a1-2c3d-7e4f-9051-62738495a6b7", name: "Newsletter" },
      role: "owner",
    },
  });
export type Me = z.infer<typeof MeSchema>;

export const SetupStatusSchema = z
  .object({ needsSetup: z.boolean() })
  .openapi("SetupStatus", { example: { needsSetup: false } });

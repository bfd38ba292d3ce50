import { z } from "@hono/zod-openapi";
import { RoleSchema } from "./common";
import { LocaleSchema } from "./locales";

/** A user, as the examples of the document show them (also inside a session). */
export const USER_EXAMPLE = {
  id: "0193b5a1-5f60-7172-8384-95a6b7c8d9ea",
  email: "ada@example.com",
  name: "Ada Lovelace",
  role: "owner",
  lastLoginAt: "2026-03-02T09:30:00.000Z",
  pending: false,
  locale: "de",
  createdAt: "2026-03-02T09:30:00.000Z",
  updatedAt: "2026-03-02T09:30:00.000Z",
};

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    lastLoginAt: z.string().nullable(),
    /** Invited and not yet in: no password set from the invitation's link. */
    pending: z.boolean(),
    /** The dashboard's language; null: whatever the browser prefers. */
    locale: LocaleSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("User", { example: USER_EXAMPLE });
export type User = z.infer<typeof UserSchema>;

const email = z.string().trim().toLowerCase().email().max(254);
/** 12+ characters: length is what makes a password strong; no composition rules (NIST 800-63B). */
export const PasswordSchema = z.string().min(12, "at least 12 characters").max(256);

/** Without a password the user is invited: mailed a link to set their own. */
export const CreateUserSchema = z
  .object({
    email,
    name: z.string().trim().min(1).max(200),
    role: RoleSchema,
    password: PasswordSchema.optional(),
  })
  .strict()
  .openapi("CreateUser", { example: { email: "grace@example.com", name: "Grace Hopper", role: "editor" } });
export type CreateUser = z.infer<typeof CreateUserSchema>;

/** A created user; `invitation` when they were invited by mail instead of given a password. */
export const CreatedUserSchema = UserSchema.extend({
  invitation: z.object({ sent: z.boolean(), error: z.string().optional() }).optional(),
}).openapi("CreatedUser", { example: USER_EXAMPLE });
export type CreatedUser = z.infer<typeof CreatedUserSchema>;

export const UpdateUserSchema = z
  .object({
    email: email.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    role: RoleSchema.optional(),
    password: PasswordSchema.optional(),
    /** Anyone may set their own; null goes back to the browser's language. */
    locale: LocaleSchema.nullable().optional(),
  })
  .strict()
  .openapi("UpdateUser", { example: { role: "admin" } });
export type UpdateUser = z.infer<typeof UpdateUserSchema>;

/** `<uuid id>.<43 base64url secret>`: the token of an invitation or password-reset link. */
export const ACCOUNT_TOKEN_PATTERN =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export const PasswordResetRequestSchema = z
  .object({ email: z.string().trim().max(254) })
  .strict()
  .openapi("PasswordResetRequest", { example: { email: "ada@example.com" } });

export const PasswordResetConfirmSchema = z
  .object({
    token: z
      .string()
      .max(200)
      .regex(ACCOUNT_TOKEN_PATTERN, "This link is not complete: open it from the mail again"),
    password: PasswordSchema,
  })
  .strict()
  .openapi("PasswordResetConfirm", {
    example: {
      token: "0193b5a1-f00d-7abc-8def-0123456789ab.q2Vx7mYd0u3kH4nT8pLw1sZf9RbC6aJe5GiK0oNhU3y",
      password: "choose a long passphrase",
    },
  });
export type PasswordResetConfirm = z.infer<typeof PasswordResetConfirmSchema>;

export const PasswordSetSchema = z
  .object({ ok: z.literal(true), email: z.string() })
  .openapi("PasswordSet", { example: { ok: true, email: "ada@example.com" } });
export const AcceptedSchema = z
  .object({ accepted: z.literal(true) })
  .openapi("Accepted", { example: { accepted: true } });

import { z } from "@hono/zod-openapi";
import { RoleSchema } from "./common";

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("User");
export type User = z.infer<typeof UserSchema>;

const email = z.string().trim().toLowerCase().email().max(254);
/** 12+ characters: length is what makes a password strong; no composition rules (NIST 800-63B). */
export const PasswordSchema = z.string().min(12, "at least 12 characters").max(256);

export const CreateUserSchema = z
  .object({ email, name: z.string().trim().min(1).max(200), role: RoleSchema, password: PasswordSchema })
  .strict()
  .openapi("CreateUser");
export type CreateUser = z.infer<typeof CreateUserSchema>;

export const UpdateUserSchema = z
  .object({
    email: email.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    role: RoleSchema.optional(),
    password: PasswordSchema.optional(),
  })
  .strict()
  .openapi("UpdateUser");
export type UpdateUser = z.infer<typeof UpdateUserSchema>;

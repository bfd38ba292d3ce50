import type { z } from "@hono/zod-openapi";
import type { Login, Session, Setup, SetupStatusSchema } from "../../../workers/contract/auth";
import type { OkSchema } from "../../../workers/contract/common";
import type {
  AcceptedSchema,
  PasswordResetConfirm,
  PasswordSetSchema,
} from "../../../workers/contract/users";
import { request } from "./http";

export type SetupStatus = z.infer<typeof SetupStatusSchema>;
type Ok = z.infer<typeof OkSchema>;

/** The auth endpoints that work without a session (or carry their own token). */
export const auth = {
  setupStatus: () => request<SetupStatus>("GET", "/auth/setup"),
  setup: (body: Setup) => request<Session>("POST", "/auth/setup", { body }),
  login: (body: Login) => request<Session>("POST", "/auth/login", { body }),
  refresh: (refreshToken: string) => request<Session>("POST", "/auth/refresh", { body: { refreshToken } }),
  logout: (refreshToken: string, token: string | null) =>
    request<Ok>("POST", "/auth/logout", { body: { refreshToken }, token }),
  /** "Forgot password?": always accepted, whether or not the address has an account. */
  requestReset: (email: string) =>
    request<z.infer<typeof AcceptedSchema>>("POST", "/auth/password-reset", { body: { email } }),
  /** Sets the password with the token of an invitation or reset link. */
  setPassword: (body: PasswordResetConfirm) =>
    request<z.infer<typeof PasswordSetSchema>>("POST", "/auth/password-reset/confirm", { body }),
};

import type { Role } from "../../schema/users";
import { ErrorSchema } from "../contract/common";
import { requireRole } from "./auth";

/**
 * Spread into every `createRoute` of an authenticated route: the role check, the OpenAPI security
 * requirement, and `x-min-role` so the docs (and the role-matrix test) know the rule.
 */
export const authed = (minRole: Role) => ({
  middleware: [requireRole(minRole)],
  security: [{ bearerAuth: [] as string[] }],
  "x-min-role": minRole,
});

/** Spread into public routes: no credentials read. */
export const open = { security: [] as { bearerAuth: string[] }[], "x-min-role": "public" };

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input",
  401: "Missing or invalid credentials",
  403: "The caller's role lacks the right",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Business rule violated",
  429: "Too many requests (see Retry-After)",
};

/** Error responses for the OpenAPI document, all with the one error envelope. */
export function errors(...codes: number[]) {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: DESCRIPTIONS[code] ?? "Error",
        content: { "application/json": { schema: ErrorSchema } },
      },
    ]),
  );
}

/** JSON request body helper for createRoute. */
export function jsonBody<T>(schema: T) {
  return { required: true as const, content: { "application/json": { schema } } };
}

/** JSON response helper for createRoute. */
export function jsonResponse<T>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

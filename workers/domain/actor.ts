import type { Role } from "../../schema/users";

/** Who is doing something, carried into every domain call and every audit row. */
export interface Actor {
  type: "user" | "api_key" | "system" | "public";
  /** User or API key id. */
  id: string | null;
  /** Human readable: the user's email or the key's name. */
  label: string | null;
  role: Role | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const ROLE_RANK: Record<Role, number> = { owner: 4, admin: 3, editor: 2, analyst: 1 };

/** True when `role` is at least `min` in owner > admin > editor > analyst. */
export function hasRole(role: Role | null, min: Role): boolean {
  return role !== null && ROLE_RANK[role] >= ROLE_RANK[min];
}

/** The weaker of two roles: what a key may do when its creator's role has dropped below its own. */
export function weakerRole(a: Role, b: Role): Role {
  return ROLE_RANK[a] <= ROLE_RANK[b] ? a : b;
}

export const systemActor = (label = "system"): Actor => ({
  type: "system",
  id: null,
  label,
  role: "owner",
  ip: null,
  userAgent: null,
  requestId: null,
});

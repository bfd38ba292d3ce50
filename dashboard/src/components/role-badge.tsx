import type { Role } from "../api/client";

/** Colour-coded role, so owners and admins stand out in tables. */
export function RoleBadge({ role }: { role: Role }) {
  return <span class={`badge badge--${role}`}>{role}</span>;
}

export const ROLE_OPTIONS = [
  { value: "owner", label: "Owner" },
  { value: "admin", label: "Admin" },
  { value: "editor", label: "Editor" },
  { value: "analyst", label: "Analyst" },
] as const satisfies readonly { value: Role; label: string }[];

/** What each role may do, in a line, shown under role selects. */
export const ROLE_HINTS: Record<Role, string> = {
  owner: "Full control, including other owners.",
  admin: "Manages users, API keys, relays and sending domains.",
  editor: "Manages audience, content, campaigns and automations.",
  analyst: "Read-only access, plus analytics.",
};

/** The role a select's value names; the select only offers roles, so anything else is a bug. */
export function toRole(value: string): Role {
  const match = ROLE_OPTIONS.find((option) => option.value === value);
  if (!match) throw new Error(`Unknown role "${value}"`);
  return match.value;
}

import type { Role } from "../api/client";
import { t } from "../i18n";

const ROLES = ["owner", "admin", "editor", "analyst"] as const satisfies readonly Role[];

/** A role as it reads inside a sentence and on a badge ("analyst"); "unknown" for none. */
export function roleName(role: Role | null | undefined): string {
  return t(`components.role.name.${role && ROLES.includes(role) ? role : "unknown"}`);
}

/** Colour-coded role, so owners and admins stand out in tables. */
export function RoleBadge({ role }: { role: Role }) {
  // i18n-ignore: class names
  return <span class={`badge badge--${role}`}>{roleName(role)}</span>;
}

/** The role select's options; each label is read when rendered, in the chosen language. */
export const ROLE_OPTIONS: readonly { readonly value: Role; readonly label: string }[] = ROLES.map(
  (value) => ({
    value,
    get label() {
      return t(`components.role.option.${value}`);
    },
  }),
);

/** What each role may do, in a line, shown under role selects (read when rendered). */
export const ROLE_HINTS: Readonly<Record<Role, string>> = Object.defineProperties(
  {} as Record<Role, string>,
  Object.fromEntries(
    ROLES.map((role) => [role, { enumerable: true, get: () => t(`components.role.hint.${role}`) }]),
  ),
);

/** The role a select's value names; the select only offers roles, so anything else is a bug. */
export function toRole(value: string): Role {
  const match = ROLE_OPTIONS.find((option) => option.value === value);
  if (!match) throw new Error(`Unknown role "${value}"`);
  return match.value;
}

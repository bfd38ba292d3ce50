import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, id, timestamps } from "./columns";
import { LIST_LANGUAGES, type ListLanguage } from "./languages";

/** Roles, strongest first: owner > admin > editor > analyst. */
export const ROLES = ["owner", "admin", "editor", "analyst"] as const;
export type Role = (typeof ROLES)[number];
export const roleEnum = pgEnum("role", ROLES);

/** People who sign in to the dashboard. */
export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull(),
    /**
     * `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`; the pepper is never stored. Null for an
     * invited user until they set their own password from the invitation's link.
     */
    passwordHash: text("password_hash"),
    lastLoginAt: at("last_login_at"),
    /** The dashboard's language (`en`, `de`, `fr`, `es`, `pt-BR`, `ja`); null: the browser's. */
    locale: text("locale").$type<ListLanguage>(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_email_lower_uq").on(sql`lower(${t.email})`),
    check(
      "users_locale_check",
      sql`${t.locale} in (${sql.raw(LIST_LANGUAGES.map((l) => `'${l}'`).join(", "))})`,
    ),
  ],
);

/** Machine credentials: `ep_<id>_<secret>`, stored only as a SHA-256 of the secret. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull(),
    /** First characters of the key, shown in lists so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: at("last_used_at"),
    revokedAt: at("revoked_at"),
    ...timestamps,
  },
  (t) => [index("api_keys_active_idx").on(t.id).where(sql`${t.revokedAt} is null`)],
);

/**
 * Refresh tokens: `<id>.<secret>`, stored as a SHA-256 of the secret. Every login starts a
 * family; each refresh marks its token used and issues the next one in the same family. Presenting
 * a used token again means it was stolen, so the whole family is revoked.
 */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: id(),
    familyId: uuid("family_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    revokedAt: at("revoked_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("refresh_tokens_family_idx").on(t.familyId), index("refresh_tokens_user_idx").on(t.userId)],
);

/** Failed sign-ins per (email, ip) in the current window, for login throttling. */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    failures: integer("failures").notNull().default(0),
    windowStartedAt: at("window_started_at").notNull().defaultNow(),
    lockedUntil: at("locked_until"),
  },
  (t) => [uniqueIndex("login_attempts_pk").on(t.email, t.ip)],
);

export const ACCOUNT_TOKEN_PURPOSES = ["invite", "reset"] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];
export const accountTokenPurposeEnum = pgEnum("account_token_purpose", ACCOUNT_TOKEN_PURPOSES);

/**
 * Single-use links mailed to set a password: an invitation, or a reset. The link carries
 * `<id>.<secret>`; only a SHA-256 of the secret is stored. A token is spent (`usedAt`) by its
 * first use, and setting a password spends every other open token of the user.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: accountTokenPurposeEnum("purpose").notNull(),
    secretHash: text("secret_hash").notNull(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("account_tokens_user_idx").on(t.userId)],
);

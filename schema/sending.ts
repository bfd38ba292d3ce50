import { sql } from "drizzle-orm";
import { boolean, check, integer, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, id, timestamps } from "./columns";

export const RELAY_SECURITIES = ["starttls", "tls", "none"] as const;
export type RelaySecurity = (typeof RELAY_SECURITIES)[number];
export const relaySecurityEnum = pgEnum("relay_security", RELAY_SECURITIES);

/** `smtp`: a server we connect to; `cloudflare`: Cloudflare Email Service through the EMAIL binding. */
export const RELAY_KINDS = ["smtp", "cloudflare"] as const;
export type RelayKind = (typeof RELAY_KINDS)[number];

/** SMTP relays mail goes out through. Each has its own rate limit (a RelayLimiter Durable Object). */
export const relays = pgTable(
  "relays",
  {
    id: id(),
    name: text("name").notNull(),
    /** Cloudflare Email Service relays carry transactional and system mail only (its terms exclude bulk mail). */
    kind: text("kind", { enum: RELAY_KINDS }).notNull().default("smtp"),
    /** Null only for a `cloudflare` relay. */
    host: text("host"),
    port: integer("port"),
    /** `tls` is implicit TLS (465); `starttls` upgrades a plain connection (587). */
    security: relaySecurityEnum("security").notNull().default("starttls"),
    username: text("username"),
    /** AES-GCM ciphertext under ENCRYPTION_KEY; never returned by the API. */
    passwordEncrypted: text("password_encrypted"),
    maxPerSecond: integer("max_per_second").notNull().default(10),
    maxPerHour: integer("max_per_hour"),
    /** Used when a campaign or transactional send names no relay; at most one row is true. */
    isDefault: boolean("is_default").notNull().default(false),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("relays_one_default_uq").on(t.isDefault).where(sql`${t.isDefault}`),
    check("relays_port_range", sql`${t.port} between 1 and 65535`),
    check("relays_kind_check", sql`${t.kind} in ('smtp', 'cloudflare')`),
    check(
      "relays_smtp_endpoint",
      sql`${t.kind} <> 'smtp' or (${t.host} is not null and ${t.port} is not null)`,
    ),
    check("relays_cloudflare_not_default", sql`not (${t.kind} = 'cloudflare' and ${t.isDefault})`),
    check(
      "relays_rates_positive",
      sql`${t.maxPerSecond} > 0 and (${t.maxPerHour} is null or ${t.maxPerHour} > 0)`,
    ),
  ],
);

/** Sending domains and their DKIM keys (RSA always, Ed25519 optionally as a second signature). */
export const domains = pgTable(
  "domains",
  {
    id: id(),
    /** Stored lower-cased; unique case-insensitively all the same. */
    domain: text("domain").notNull(),
    dkimSelector: text("dkim_selector").notNull(),
    /** Base64 public key exactly as published in the `p=` tag of the DKIM DNS record. */
    dkimPublicKey: text("dkim_public_key").notNull(),
    /** AES-GCM ciphertext of the PKCS#8 private key under ENCRYPTION_KEY; never returned. */
    dkimPrivateKeyEncrypted: text("dkim_private_key_encrypted").notNull(),
    ed25519Selector: text("ed25519_selector"),
    ed25519PublicKey: text("ed25519_public_key"),
    ed25519PrivateKeyEncrypted: text("ed25519_private_key_encrypted"),
    /** Host of the Return-Path (`bounces+<token>@bounceDomain`); null means the domain itself. */
    bounceDomain: text("bounce_domain"),
    /** When the DKIM record was last found correct in DNS; null until then. */
    verifiedAt: at("verified_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("domains_domain_lower_uq").on(sql`lower(${t.domain})`),
    check(
      "domains_ed25519_complete",
      sql`(${t.ed25519Selector} is null) = (${t.ed25519PublicKey} is null) and (${t.ed25519PublicKey} is null) = (${t.ed25519PrivateKeyEncrypted} is null)`,
    ),
  ],
);

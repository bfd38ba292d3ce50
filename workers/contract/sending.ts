import { z } from "@hono/zod-openapi";
import { RELAY_KINDS, RELAY_SECURITIES } from "../../schema/sending";

const hostname = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/, "a host name or IP address");
const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "a domain name such as example.com",
  );

// ---- Relays ---------------------------------------------------------------------------------

/** A relay, as the examples of the document show it. */
const RELAY_EXAMPLE = {
  id: "0193b5a1-4e5f-7061-9273-8495a6b7c8d9",
  name: "Main relay",
  kind: "smtp",
  host: "smtp.example.net",
  port: 587,
  security: "starttls",
  username: "apikey",
  hasPassword: false,
  maxPerSecond: 10,
  maxPerHour: 20000,
  isDefault: true,
  createdAt: "2026-03-02T09:30:00.000Z",
  updatedAt: "2026-03-02T09:30:00.000Z",
};

export const RelaySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** `cloudflare`: Cloudflare Email Service (transactional and system mail only; no host or port). */
    kind: z.enum(RELAY_KINDS),
    host: z.string().nullable(),
    port: z.number().int().nullable(),
    security: z.enum(RELAY_SECURITIES),
    username: z.string().nullable(),
    /** The password itself is never returned. */
    hasPassword: z.boolean(),
    maxPerSecond: z.number().int(),
    maxPerHour: z.number().int().nullable(),
    isDefault: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Relay", {
    example: RELAY_EXAMPLE,
  });

const relayFields = {
  name: z.string().trim().min(1).max(200),
  host: hostname.optional(),
  port: z.number().int().min(1).max(65535).optional(),
  security: z.enum(RELAY_SECURITIES),
  username: z.string().max(500).nullable().optional(),
  /** Write-only. */
  password: z.string().max(1000).nullable().optional(),
  maxPerSecond: z.number().int().min(1).max(10_000),
  maxPerHour: z.number().int().min(1).max(100_000_000).nullable().optional(),
  isDefault: z.boolean().optional(),
};

/**
 * An SMTP relay needs its host and port; a Cloudflare Email Service relay (`kind: "cloudflare"`)
 * has neither (it sends through the Worker's EMAIL binding) and no credentials.
 */
export const CreateRelaySchema = z
  .object({
    ...relayFields,
    kind: z.enum(RELAY_KINDS).default("smtp"),
    security: relayFields.security.default("starttls"),
    maxPerSecond: relayFields.maxPerSecond.default(10),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === "smtp") {
      for (const key of ["host", "port"] as const) {
        if (v[key] === undefined)
          ctx.addIssue({ code: "custom", path: [key], message: `An SMTP relay needs a ${key}` });
      }
      return;
    }
    for (const key of ["host", "port", "username", "password"] as const) {
      if (v[key] !== undefined && v[key] !== null)
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `A Cloudflare Email Service relay has no ${key}`,
        });
    }
  })
  .openapi("CreateRelay", {
    example: {
      kind: "smtp",
      name: "Main relay",
      host: "smtp.example.net",
      port: 587,
      security: "starttls",
      username: "apikey",
      password: "relay password",
      maxPerSecond: 10,
    },
  });
export type CreateRelay = z.input<typeof CreateRelaySchema>;

export const UpdateRelaySchema = z
  .object(relayFields)
  .partial()
  .strict()
  .openapi("UpdateRelay", { example: { maxPerSecond: 20, password: null } });
export type UpdateRelay = z.infer<typeof UpdateRelaySchema>;

/** The answer to a relay change: the relay, and whether the change cleared its password. */
export const UpdatedRelaySchema = RelaySchema.extend({
  /** The host, port or security changed without a new password: the stored one was removed. */
  passwordCleared: z.boolean(),
}).openapi("UpdatedRelay", {
  example: {
    ...RELAY_EXAMPLE,
    passwordCleared: false,
  },
});

export const RelayTestSchema = z
  .object({
    ok: z.boolean(),
    /** The step that failed: connect, tls, greeting, ehlo, auth (absent when ok). */
    step: z.string().optional(),
    temporary: z.boolean().optional(),
    code: z.number().int().optional(),
    enhanced: z.string().optional(),
    message: z.string(),
    secure: z.boolean().optional(),
    authenticated: z.boolean().optional(),
    capabilities: z.record(z.string(), z.string()).optional(),
    elapsedMs: z.number().int(),
  })
  .openapi("RelayTest", {
    example: {
      ok: true,
      step: "auth",
      temporary: false,
      code: 250,
      enhanced: "2.7.0",
      message: "No such template",
      secure: false,
      authenticated: false,
      capabilities: { plan: "pro" },
      elapsedMs: 412,
    },
  });

// ---- Domains --------------------------------------------------------------------------------

export const DnsRecordSchema = z
  .object({
    purpose: z.string(),
    type: z.enum(["TXT", "MX", "CNAME"]),
    name: z.string(),
    value: z.string(),
    priority: z.number().int().optional(),
    required: z.boolean(),
    note: z.string(),
  })
  .openapi("DnsRecord");

export const DomainSchema = z
  .object({
    id: z.string(),
    domain: z.string(),
    dkimSelector: z.string(),
    dkimPublicKey: z.string(),
    ed25519Selector: z.string().nullable(),
    ed25519PublicKey: z.string().nullable(),
    bounceDomain: z.string().nullable(),
    verifiedAt: z.string().nullable(),
    records: z.array(DnsRecordSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Domain", {
    example: {
      id: "0193b5a1-7182-7394-85a6-b7c8d9eafb0c",
      domain: "mail.example.com",
      dkimSelector: "ep1",
      dkimPublicKey: "MIIBIjANBgkqh…",
      ed25519Selector: "ep2",
      ed25519PublicKey: "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
      bounceDomain: "mail.example.com",
      verifiedAt: "2026-03-02T09:30:00.000Z",
      records: [
        {
          purpose: "dkim",
          type: "TXT",
          name: "ep1._domainkey.mail.example.com",
          value: "v=DKIM1; k=rsa; p=MIIBIjANBgkqh…",
          required: true,
          note: "Publish as TXT",
        },
      ],
      createdAt: "2026-03-02T09:30:00.000Z",
      updatedAt: "2026-03-02T09:30:00.000Z",
    },
  });

export const CreateDomainSchema = z
  .object({
    domain: domainName,
    /** DKIM selector; default `ep<yyyymm>`. */
    selector: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "letters, digits and -")
      .optional(),
    /** Host of the Return-Path address (a subdomain keeps SPF aligned for DMARC); default the domain itself. */
    bounceDomain: domainName.nullable().optional(),
    /** Also make an Ed25519 key for a second signature (RFC 8463). */
    ed25519: z.boolean().optional(),
  })
  .strict()
  .openapi("CreateDomain", { example: { domain: "mail.example.com" } });
export type CreateDomain = z.infer<typeof CreateDomainSchema>;

export const UpdateDomainSchema = z
  .object({ bounceDomain: domainName.nullable() })
  .partial()
  .strict()
  .openapi("UpdateDomain", { example: { bounceDomain: "bounces.mail.example.com" } });

export const DomainCheckSchema = z
  .object({
    verified: z.boolean(),
    checks: z.array(
      z.object({
        purpose: z.string(),
        type: z.string(),
        name: z.string(),
        required: z.boolean(),
        status: z.enum(["ok", "missing", "mismatch", "error"]),
        found: z.array(z.string()),
      }),
    ),
    domain: DomainSchema,
  })
  .openapi("DomainCheck", {
    example: {
      verified: false,
      checks: [
        {
          purpose: "dkim",
          type: "example",
          name: "Newsletter",
          required: false,
          status: "ok",
          found: ["example"],
        },
      ],
      domain: {
        id: "0193b5a1-7182-7394-85a6-b7c8d9eafb0c",
        domain: "mail.example.com",
        dkimSelector: "ep1",
        dkimPublicKey: "MIIBIjANBgkqh…",
        ed25519Selector: "ep2",
        ed25519PublicKey: "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        bounceDomain: "mail.example.com",
        verifiedAt: "2026-03-02T09:30:00.000Z",
        records: [
          {
            purpose: "dkim",
            type: "TXT",
            name: "Newsletter",
            value: "v=DKIM1; k=rsa; p=MIIBIjANBgkqh…",
            priority: 10,
            required: false,
            note: "Publish as TXT",
          },
        ],
        createdAt: "2026-03-02T09:30:00.000Z",
        updatedAt: "2026-03-02T09:30:00.000Z",
      },
    },
  });

import { z } from "@hono/zod-openapi";
import { BUTTON_STYLES, type ButtonStyle, DEFAULT_BRAND, FONT_STACKS } from "./brand";

const email = z.string().trim().max(320).email();

/** True when the runtime's Intl knows the zone (IANA names such as Europe/Berlin, and UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// ---- Brand theme ----------------------------------------------------------------------------

export { BUTTON_STYLES, type ButtonStyle, DEFAULT_BRAND, FONT_STACKS };

const FONT_VALUES = FONT_STACKS.map((f) => f.value) as [string, ...string[]];

const color = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^#[0-9a-f]{6}$/, "a colour as #rrggbb, such as #2d5bd7");

const logoUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "https:" || u.protocol === "http:") && u.hostname !== "";
    } catch {
      return false;
    }
  }, "a web address starting with https:// or http://");

/** The organisation's look: public pages (signup, confirm, unsubscribe, preferences) and new templates. */
export const BrandSchema = z
  .object({
    /** An absolute http(s) URL of the logo image, or null for none. */
    logoUrl: z.string().nullable(),
    primaryColor: z.string(),
    backgroundColor: z.string(),
    textColor: z.string(),
    buttonColor: z.string(),
    buttonTextColor: z.string(),
    /** A CSS font stack, one of FONT_STACKS. */
    fontFamily: z.string(),
    buttonStyle: z.enum(BUTTON_STYLES),
  })
  .openapi("Brand");
export type Brand = z.infer<typeof BrandSchema>;

export const UpdateBrandSchema = z
  .object({
    logoUrl: logoUrl.nullable(),
    primaryColor: color,
    backgroundColor: color,
    textColor: color,
    buttonColor: color,
    buttonTextColor: color,
    fontFamily: z.enum(FONT_VALUES, { message: "one of the offered font stacks" }),
    buttonStyle: z.enum(BUTTON_STYLES, { message: "square, rounded or pill" }),
  })
  .partial()
  .strict()
  .openapi("UpdateBrand");

export const SettingsSchema = z
  .object({
    organizationName: z.string(),
    postalAddress: z.string(),
    defaultFromName: z.string(),
    defaultFromEmail: z.string(),
    defaultReplyTo: z.string().nullable(),
    defaultRelayId: z.string().nullable(),
    /** The relay of transactional sends that name none: an SMTP relay or Cloudflare Email Service (null: the default relay). */
    transactionalRelayId: z.string().nullable(),
    /** The relay of system mail (double opt-in, invitations, resets, sign-in notices): null is SMTP_URL. */
    systemRelayId: z.string().nullable(),
    bounceDomain: z.string().nullable(),
    trackOpens: z.boolean(),
    trackClicks: z.boolean(),
    retention: z.object({ eventsDays: z.number().int() }),
    sending: z.object({
      maxAttempts: z.number().int(),
      retryBaseSeconds: z.number().int(),
      pauseBounceRate: z.number(),
      pauseMinSends: z.number().int(),
      pauseConsecutiveErrors: z.number().int(),
      scannerClickSeconds: z.number().int(),
    }),
    bounces: z.object({ softLimit: z.number().int(), softWindowDays: z.number().int() }),
    /** The organisation's time zone (IANA): for subscribers with neither a `timezone` field nor a seen zone (workflows, local-time campaigns). */
    timezone: z.string(),
    brand: BrandSchema,
    /** Outgoing webhooks (and workflow webhook nodes): private, loopback and link-local targets allowed. */
    webhooks: z.object({ allowPrivateTargets: z.boolean() }),
  })
  .openapi("Settings", {
    example: {
      organizationName: "Acme Inc.",
      postalAddress: "1 Main Street, Springfield",
      defaultFromName: "Acme News",
      defaultFromEmail: "news@example.com",
      defaultReplyTo: "hello@example.com",
      defaultRelayId: "0193b5a1-4e5f-7061-9273-8495a6b7c8d9",
      transactionalRelayId: null,
      systemRelayId: null,
      bounceDomain: "mail.example.com",
      trackOpens: true,
      trackClicks: true,
      retention: { eventsDays: 365 },
      sending: {
        maxAttempts: 5,
        retryBaseSeconds: 60,
        pauseBounceRate: 0.05,
        pauseMinSends: 200,
        pauseConsecutiveErrors: 50,
        scannerClickSeconds: 2,
      },
      webhooks: { allowPrivateTargets: false },
      bounces: { softLimit: 3, softWindowDays: 30 },
      timezone: "Europe/Berlin",
      brand: {
        logoUrl: "https://mail.example.com/media/0193b5a1-logo.png",
        primaryColor: "#1a2b3c",
        backgroundColor: "#ffffff",
        textColor: "#222222",
        buttonColor: "#1a2b3c",
        buttonTextColor: "#ffffff",
        fontFamily: "Helvetica, Arial, sans-serif",
        buttonStyle: "square",
      },
    },
  });

const BOUNCE_RATE_RANGE = "Enter a percentage between 0.1% and 100% (a fraction from 0.001 to 1)";

export const UpdateSettingsSchema = z
  .object({
    organizationName: z.string().trim().max(200),
    postalAddress: z.string().trim().max(1000),
    defaultFromName: z.string().trim().max(200),
    defaultFromEmail: z.union([email, z.literal("")]),
    defaultReplyTo: email.nullable(),
    defaultRelayId: z.string().uuid().nullable(),
    transactionalRelayId: z.string().uuid().nullable(),
    systemRelayId: z.string().uuid().nullable(),
    bounceDomain: z
      .string()
      .trim()
      .toLowerCase()
      .regex(
        /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        "a domain name such as bounces.example.com",
      )
      .nullable(),
    trackOpens: z.boolean(),
    trackClicks: z.boolean(),
    retention: z
      .object({ eventsDays: z.number().int().min(7).max(3650) })
      .partial()
      .strict(),
    sending: z
      .object({
        maxAttempts: z.number().int().min(1).max(20),
        retryBaseSeconds: z.number().int().min(1).max(3600),
        /** A fraction (0.05 is 5 %); the dashboard shows it as a percentage. */
        pauseBounceRate: z.number().min(0.001, BOUNCE_RATE_RANGE).max(1, BOUNCE_RATE_RANGE),
        pauseMinSends: z.number().int().min(10).max(1_000_000),
        pauseConsecutiveErrors: z.number().int().min(1).max(10_000),
        scannerClickSeconds: z.number().int().min(0).max(600),
      })
      .partial()
      .strict(),
    bounces: z
      .object({
        softLimit: z.number().int().min(1).max(100),
        softWindowDays: z.number().int().min(1).max(365),
      })
      .partial()
      .strict(),
    timezone: z.string().trim().min(1).max(64).refine(isTimeZone, "an IANA time zone such as Europe/Berlin"),
    /** Any of the brand's keys; the others keep their values. */
    brand: UpdateBrandSchema,
    /** Only the owner may change it (it lets calls reach the private network). */
    webhooks: z.object({ allowPrivateTargets: z.boolean() }).partial().strict(),
  })
  .partial()
  .strict()
  .openapi("UpdateSettings", {
    example: { defaultFromName: "Acme News", defaultFromEmail: "news@example.com", trackOpens: true },
  });
export type UpdateSettings = z.infer<typeof UpdateSettingsSchema>;

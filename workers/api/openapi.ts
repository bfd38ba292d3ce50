import type { OpenAPIHono } from "@hono/zod-openapi";

/**
 * The OpenAPI document's top level: what `app.doc31` serves at /api/v1/openapi.json and what
 * `scripts/openapi` lints and generates the SDK (`sdk/`) from. Every operation's tag is described
 * here; Redocly's recommended rules (`tests/unit/openapi-lint.test.ts`) hold the document.
 */
export const API_TAGS = [
  {
    name: "Auth",
    description: "First owner setup, sign-in, token refresh and sign-out, invitations, the current user.",
  },
  { name: "Users", description: "The people who use the dashboard and API, and their roles." },
  {
    name: "API keys",
    description: "Long-lived `ep_` keys for scripts and integrations; a key is shown once, when created.",
  },
  { name: "Audit", description: "Who changed what: one row for every mutating call." },
  { name: "Fields", description: "Custom subscriber fields (text, number, date, boolean, select)." },
  { name: "Lists", description: "Mailing lists, their opt-in rules and their hosted signup forms." },
  {
    name: "Subscribers",
    description: "People on your lists: profiles, memberships, GDPR export and erasure.",
  },
  { name: "Segments", description: "Saved audience rules over fields, lists, status, dates and engagement." },
  {
    name: "Suppressions",
    description: "Addresses that are never sent to (bounces, complaints, unsubscribes, manual).",
  },
  { name: "Imports", description: "CSV imports of subscribers, processed in chunks on a queue." },
  {
    name: "Templates",
    description: "Email templates (HTML or blocks) with immutable versions and previews.",
  },
  { name: "Images", description: "The image library used by templates, stored in R2." },
  {
    name: "Campaigns",
    description: "Campaigns to lists or segments: scheduling, sending, A/B tests, stats and the send log.",
  },
  { name: "Transactional", description: "One message now, outside campaigns (receipts, password resets)." },
  {
    name: "Workflows",
    description: "Automations: triggers, waits, conditions and sends, with versions, stats and instances.",
  },
  { name: "Relays", description: "SMTP relays that carry the mail; secrets are never returned." },
  { name: "Domains", description: "Sending domains: DKIM keys and the DNS records to publish." },
  { name: "Settings", description: "Workspace settings: defaults for senders, tracking and the brand." },
  { name: "Analytics", description: "Reports read from rollups: overview KPIs, timelines and links." },
  {
    name: "Webhooks",
    description:
      "Outgoing webhooks: endpoints that are told what happened, signed the Standard Webhooks way.",
  },
  {
    name: "Relay notifications",
    description:
      "Public endpoints where relays (SES, Postmark, SendGrid, Mailgun, generic) report bounces and complaints.",
  },
];

type DocumentConfig = Parameters<OpenAPIHono["getOpenAPI31Document"]>[0];
type Server = NonNullable<DocumentConfig["servers"]>[number];

/** Where a deployed Edgepost answers by default: the Worker's workers.dev address. */
export const WORKERS_DEV_SERVER: Server = {
  url: "https://edgepost.{account}.workers.dev",
  description: "Edgepost deployed as the `edgepost` Worker (or your own domain)",
  variables: { account: { default: "your-account", description: "Your workers.dev subdomain" } },
};

// No licence has been chosen for Edgepost yet: all rights reserved until one is. (`identifier`
// is OpenAPI 3.1's SPDX field, missing from the library's 3.0-shaped type.)
const LICENSE = { name: "Proprietary", identifier: "LicenseRef-Proprietary" };

/** The document's info, servers and tags: `server` is where the API is reached. */
export function openApiConfig(server: Server): DocumentConfig {
  return {
    openapi: "3.1.0",
    info: {
      title: "Edgepost API",
      version: "1.0.0",
      description:
        "Self-hosted email marketing on Cloudflare Workers. Errors always use the `Error` envelope.",
      license: LICENSE,
    },
    servers: [server],
    tags: API_TAGS,
  };
}

import type { z } from "@hono/zod-openapi";
import type {
  CreateDomain,
  CreateRelay,
  DnsRecordSchema,
  DomainCheckSchema,
  DomainSchema,
  RelaySchema,
  RelayTestSchema,
  UpdateDomainSchema,
  UpdatedRelaySchema,
  UpdateRelay,
} from "../../../workers/contract/sending";
import type { SettingsSchema, UpdateSettings } from "../../../workers/contract/settings";
import { call, type Page, type PageParams } from "./client";

export type Relay = z.infer<typeof RelaySchema>;
export type UpdatedRelay = z.infer<typeof UpdatedRelaySchema>;
export type RelaySecurity = Relay["security"];
export type RelayTest = z.infer<typeof RelayTestSchema>;
export type Domain = z.infer<typeof DomainSchema>;
export type DnsRecord = z.infer<typeof DnsRecordSchema>;
export type DomainCheck = z.infer<typeof DomainCheckSchema>;
export type RecordCheck = DomainCheck["checks"][number];
export type UpdateDomain = z.infer<typeof UpdateDomainSchema>;
export type Settings = z.infer<typeof SettingsSchema>;
export type { CreateDomain, CreateRelay, UpdateRelay, UpdateSettings };

export const RELAY_SECURITIES = ["starttls", "tls", "none"] as const satisfies readonly RelaySecurity[];

const path = (base: string, id: string, rest = "") => `${base}/${encodeURIComponent(id)}${rest}`;

/** The typed delivery API: SMTP relays, sending domains and the organisation's settings. */
export const delivery = {
  relays: {
    list: (page: PageParams) => call<Page<Relay>>("GET", "/relays", { query: { ...page } }),
    get: (id: string) => call<Relay>("GET", path("/relays", id)),
    create: (body: CreateRelay) => call<Relay>("POST", "/relays", { body }),
    /** `password: null` removes the stored password; leaving it out keeps it. */
    update: (id: string, body: UpdateRelay) => call<UpdatedRelay>("PATCH", path("/relays", id), { body }),
    remove: (id: string) => call<void>("DELETE", path("/relays", id)),
    /** Connect, TLS, greeting, EHLO and AUTH; a failure says which step and why (still a 200). */
    test: (id: string) => call<RelayTest>("POST", path("/relays", id, "/test"), { body: {} }),
  },
  domains: {
    list: (page: PageParams) => call<Page<Domain>>("GET", "/domains", { query: { ...page } }),
    get: (id: string) => call<Domain>("GET", path("/domains", id)),
    create: (body: CreateDomain) => call<Domain>("POST", "/domains", { body }),
    update: (id: string, body: UpdateDomain) => call<Domain>("PATCH", path("/domains", id), { body }),
    remove: (id: string) => call<void>("DELETE", path("/domains", id)),
    /** Looks every record up in DNS; verified once each required one is published as expected. */
    verify: (id: string) => call<DomainCheck>("POST", path("/domains", id, "/verify"), { body: {} }),
  },
  settings: {
    get: () => call<Settings>("GET", "/settings"),
    /** Partial: nested groups (`retention`, `sending`, `bounces`) may be given in part. */
    update: (body: UpdateSettings) => call<Settings>("PATCH", "/settings", { body }),
  },
};

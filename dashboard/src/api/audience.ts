import type { z } from "@hono/zod-openapi";
import type {
  CreateField,
  CreateList,
  CreateSubscriber,
  CreateSuppression,
  FieldSchema,
  ListSchema,
  MembershipChange,
  MembershipSchema,
  SubscriberDetailSchema,
  SubscriberExportSchema,
  SubscriberQuerySchema,
  SubscriberSchema,
  SuppressionQuerySchema,
  SuppressionSchema,
  UpdateField,
  UpdateList,
  UpdateSubscriber,
} from "../../../workers/contract/audience";
import type { SegmentSchema } from "../../../workers/contract/segments";
import { call, type Page, type PageParams } from "./client";
import type { Query } from "./http";

export type Field = z.infer<typeof FieldSchema>;
export type FieldType = Field["type"];
export type List = z.infer<typeof ListSchema>;
export type Subscriber = z.infer<typeof SubscriberSchema>;
export type SubscriberStatus = Subscriber["status"];
export type Membership = z.infer<typeof MembershipSchema>;
export type SubscriberDetail = z.infer<typeof SubscriberDetailSchema>;
export type SubscriberExport = z.infer<typeof SubscriberExportSchema>;
export type Suppression = z.infer<typeof SuppressionSchema>;
export type SuppressionReason = Suppression["reason"];
export type {
  CreateField,
  CreateList,
  CreateSubscriber,
  CreateSuppression,
  MembershipChange,
  UpdateField,
  UpdateList,
  UpdateSubscriber,
};

/** Filters of the subscriber table (paging is passed apart). */
export type SubscriberFilters = Omit<z.input<typeof SubscriberQuerySchema>, "limit" | "cursor">;
export type SuppressionFilters = Omit<z.input<typeof SuppressionQuerySchema>, "limit" | "cursor">;

/** A create or membership change also says when the confirmation mail could not go out. */
export type SubscriberChangeResult = SubscriberDetail & { confirmationError?: string };

/** One entry of a subscriber's timeline (`GET /subscribers/:id/events`); kinds may carry more. */
export interface SubscriberEvent {
  id: number;
  kind: string;
  name: string | null;
  campaignId: string | null;
  /** Null when the campaign was deleted (`campaignDeleted`). */
  campaignName: string | null;
  campaignArchived: boolean;
  campaignDeleted: boolean;
  /** The workflow that sent the message, for workflow mail. */
  workflowId: string | null;
  workflowName: string | null;
  workflowDeleted: boolean;
  url: string | null;
  machine: boolean;
  client: string | null;
  occurredAt: string;
}

/** A saved segment (the subscriber filter needs its id and name). */
export type SegmentSummary = z.infer<typeof SegmentSchema>;

/** The copy-paste subscription form of a public list. */
export interface ListForm {
  html: string;
  /** Set when the list is private: the public endpoint refuses the form until it is made public. */
  warning?: string | null;
}

const path = (base: string, id: string, rest = "") => `${base}/${encodeURIComponent(id)}${rest}`;

/** The typed audience API: subscribers, lists, fields, suppressions (and segment names). */
export const audience = {
  subscribers: {
    list: (filters: SubscriberFilters, page: PageParams) =>
      call<Page<Subscriber>>("GET", "/subscribers", { query: { ...filters, ...page } satisfies Query }),
    get: (id: string) => call<SubscriberDetail>("GET", path("/subscribers", id)),
    create: (body: CreateSubscriber) => call<SubscriberChangeResult>("POST", "/subscribers", { body }),
    update: (id: string, body: UpdateSubscriber) =>
      call<SubscriberDetail>("PATCH", path("/subscribers", id), { body }),
    /** GDPR erasure: personal data goes, the address stays suppressed by hash. */
    erase: (id: string) => call<void>("DELETE", path("/subscribers", id)),
    export: (id: string) => call<SubscriberExport>("GET", path("/subscribers", id, "/export")),
    /** Every subscriber of the filter (and sort) as a CSV file; editors and above. */
    exportCsv: (filters: SubscriberFilters) =>
      call<Blob>("GET", "/subscribers/export", { query: { ...filters } satisfies Query, blob: true }),
    changeLists: (id: string, body: MembershipChange) =>
      call<SubscriberChangeResult>("POST", path("/subscribers", id, "/lists"), { body }),
    events: (id: string, page: PageParams) =>
      call<Page<SubscriberEvent>>("GET", path("/subscribers", id, "/events"), { query: { ...page } }),
  },
  lists: {
    list: (page: PageParams) => call<Page<List>>("GET", "/lists", { query: { ...page } }),
    /** Lists deleted while they had members: kept for their consent records, closed to new members. */
    archived: (page: PageParams) =>
      call<Page<List>>("GET", "/lists", { query: { ...page, archived: "true" } satisfies Query }),
    get: (id: string) => call<List>("GET", path("/lists", id)),
    create: (body: CreateList) => call<List>("POST", "/lists", { body }),
    update: (id: string, body: UpdateList) => call<List>("PATCH", path("/lists", id), { body }),
    /** Deletes a list without members; archives one with members. */
    remove: (id: string) => call<void>("DELETE", path("/lists", id)),
    form: (id: string) => call<ListForm>("GET", path("/lists", id, "/form")),
  },
  fields: {
    /** Every definition in one page: there are few, and the subscriber table needs them all. */
    list: () => call<Page<Field>>("GET", "/fields"),
    create: (body: CreateField) => call<Field>("POST", "/fields", { body }),
    update: (id: string, body: UpdateField) => call<Field>("PATCH", path("/fields", id), { body }),
    remove: (id: string) => call<void>("DELETE", path("/fields", id)),
  },
  suppressions: {
    list: (filters: SuppressionFilters, page: PageParams) =>
      call<Page<Suppression>>("GET", "/suppressions", { query: { ...filters, ...page } satisfies Query }),
    create: (body: CreateSuppression) => call<Suppression>("POST", "/suppressions", { body }),
    remove: (email: string) => call<void>("DELETE", path("/suppressions", email)),
  },
  segments: {
    list: (page: PageParams) => call<Page<SegmentSummary>>("GET", "/segments", { query: { ...page } }),
  },
};

/** Every page of a small collection (lists for a picker), following cursors up to a bound. */
export async function fetchAll<T>(
  fetchPage: (page: PageParams) => Promise<Page<T>>,
  maxPages = 20,
): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage({ limit: 500, cursor });
    rows.push(...page.data);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return rows;
}

export const SUBSCRIBER_STATUSES = [
  "active",
  "unsubscribed",
  "bounced",
  "complained",
  "blocklisted",
] as const satisfies readonly SubscriberStatus[];

export const SUPPRESSION_REASONS = [
  "manual",
  "bounce",
  "complaint",
  "unsubscribe",
  "erased",
] as const satisfies readonly SuppressionReason[];

export const FIELD_TYPES = [
  "text",
  "number",
  "date",
  "boolean",
  "select",
] as const satisfies readonly FieldType[];

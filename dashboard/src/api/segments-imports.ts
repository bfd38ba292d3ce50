/**
 * The typed client for segments, imports and the audience look-ups their pages need (fields,
 * lists). The rule tree is typed here, more strictly than the API's schema (which checks it in
 * the domain), so the builder can only produce the shapes API.md describes.
 */
import type { z } from "@hono/zod-openapi";
import type { FieldSchema, ListSchema, SubscriberSchema } from "../../../workers/contract/audience";
import type { ImportSummaryView, ImportView } from "../../../workers/contract/imports";
import type { SegmentPreviewSchema, SegmentSchema } from "../../../workers/contract/segments";
import { call, type Page, type PageParams } from "./client";

export type FieldDef = z.infer<typeof FieldSchema>;
export type FieldType = FieldDef["type"];
export type AudienceList = z.infer<typeof ListSchema>;
export type Subscriber = z.infer<typeof SubscriberSchema>;
export type SubscriberStatus = Subscriber["status"];

// ---- Segment rules (API.md "Segment rules") ----------------------------------------------------

export type FieldOp =
  | "eq"
  | "neq"
  | "contains"
  | "startsWith"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "before"
  | "after"
  | "withinDays"
  | "isSet";

export interface FieldRule {
  field: string;
  op: FieldOp;
  value?: string | number | boolean;
}
export interface ListRule {
  list: string;
}
export interface StatusRule {
  status: SubscriberStatus;
}
export interface SignupRule {
  createdWithinDays: number;
}
export interface EventRule {
  event: "opened" | "clicked";
  campaignId: string;
  withinDays?: number;
  never?: boolean;
}
export type Rule =
  | { and: Rule[] }
  | { or: Rule[] }
  | { not: Rule }
  | FieldRule
  | ListRule
  | StatusRule
  | SignupRule
  | EventRule;

/** A saved segment; its rules are trusted to be the tree the API validated on save. */
export type Segment = Omit<z.infer<typeof SegmentSchema>, "rules"> & { rules: Rule };
export interface SegmentInput {
  name: string;
  rules: Rule;
}
export type SegmentPreview = z.infer<typeof SegmentPreviewSchema>;

// ---- Imports ---------------------------------------------------------------------------------

export type ImportJob = ImportView;
/** An import as the list shows it: without its failed rows. */
export type ImportSummary = ImportSummaryView;
export type ImportStatus = ImportJob["status"];
export type ImportMode = ImportJob["mode"];
export type ImportRowError = ImportJob["errors"][number];

export interface StartImport {
  file: File;
  listIds: string[];
  mode: ImportMode;
  /** CSV column -> "email" | "name" | field key; unmapped columns are ignored. */
  mapping: Record<string, string>;
  sendConfirmations: boolean;
}

const id = (value: string) => encodeURIComponent(value);

export const audienceApi = {
  fields: {
    /** Every field definition (there are few: one page of the maximum size). */
    all: () => call<Page<FieldDef>>("GET", "/fields", { query: { limit: 500 } }).then((page) => page.data),
  },
  lists: {
    all: () => call<Page<AudienceList>>("GET", "/lists", { query: { limit: 500 } }).then((page) => page.data),
    /** Archived lists: closed to new members, still a fact a segment can test (who was on it). */
    archived: () =>
      call<Page<AudienceList>>("GET", "/lists", { query: { limit: 500, archived: "true" } }).then(
        (page) => page.data,
      ),
  },
  segments: {
    list: (page: PageParams) => call<Page<Segment>>("GET", "/segments", { query: { ...page } }),
    get: (segmentId: string) => call<Segment>("GET", `/segments/${id(segmentId)}`),
    create: (body: SegmentInput) => call<Segment>("POST", "/segments", { body }),
    update: (segmentId: string, body: Partial<SegmentInput>) =>
      call<Segment>("PATCH", `/segments/${id(segmentId)}`, { body }),
    remove: (segmentId: string) => call<void>("DELETE", `/segments/${id(segmentId)}`),
    preview: (rules: Rule) => call<SegmentPreview>("POST", "/segments/preview", { body: { rules } }),
  },
  imports: {
    list: (page: PageParams) => call<Page<ImportSummary>>("GET", "/imports", { query: { ...page } }),
    get: (importId: string) => call<ImportJob>("GET", `/imports/${id(importId)}`),
    /** Streams the file itself as the body: the browser reads it from disk as it uploads. */
    start: (input: StartImport) =>
      call<{ id: string }>("POST", "/imports", {
        raw: { body: input.file, contentType: "text/csv" },
        query: {
          listIds: input.listIds.join(","),
          mode: input.mode,
          mapping: JSON.stringify(input.mapping),
          sendConfirmations: String(input.sendConfirmations),
          filename: input.file.name,
        },
      }),
    /** Continue an import that stopped, from where it was. */
    resume: (importId: string) => call<ImportJob>("POST", `/imports/${id(importId)}/resume`),
    /** The failed rows as a CSV file. */
    errorsCsv: (importId: string) => call<Blob>("GET", `/imports/${id(importId)}/errors.csv`, { blob: true }),
  },
};

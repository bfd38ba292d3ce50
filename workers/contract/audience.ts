import { z } from "@hono/zod-openapi";
import {
  CONSENT_SOURCES,
  LIST_LANGUAGES,
  LIST_OPT_INS,
  LIST_VISIBILITIES,
  MEMBERSHIP_STATUSES,
  NAME_FIELD_MODES,
} from "../../schema/lists";
import { FIELD_TYPES, SUBSCRIBER_STATUSES } from "../../schema/subscribers";
import { SUPPRESSION_REASONS } from "../../schema/suppressions";
import { PageQuerySchema } from "./common";

// ---- Fields ---------------------------------------------------------------------------------

export const FieldTypeSchema = z.enum(FIELD_TYPES).openapi("FieldType");

export const FieldSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    label: z.string(),
    type: FieldTypeSchema,
    options: z.array(z.string()).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Field", {
    example: {
      id: "0193b5a1-93a4-75b6-87c8-d9eafb0c1d2e",
      key: "company",
      label: "Company",
      type: "text",
      options: ["example"],
      createdAt: "2026-03-02T09:30:00.000Z",
      updatedAt: "2026-03-02T09:30:00.000Z",
    },
  });

export const CreateFieldSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, "lower-case letters, digits and _, starting with a letter (max 63)"),
    label: z.string().trim().min(1).max(200),
    type: FieldTypeSchema,
    options: z.array(z.string().trim().min(1).max(200)).min(1).max(200).optional(),
  })
  .refine((f) => (f.type === "select") === (f.options !== undefined), {
    message: "options are required for select fields and only allowed for them",
    path: ["options"],
  })
  .strict()
  .openapi("CreateField", {
    example: { key: "plan", label: "Plan", type: "select", options: ["free", "pro"] },
  });
export type CreateField = z.infer<typeof CreateFieldSchema>;

/** The key and type are fixed once created (stored values depend on them). */
export const UpdateFieldSchema = z
  .object({
    label: z.string().trim().min(1).max(200).optional(),
    options: z.array(z.string().trim().min(1).max(200)).min(1).max(200).optional(),
  })
  .strict()
  .openapi("UpdateField", { example: { label: "Plan", options: ["free", "pro", "team"] } });
export type UpdateField = z.infer<typeof UpdateFieldSchema>;

// ---- Lists ----------------------------------------------------------------------------------

export { LIST_LANGUAGES, NAME_FIELD_MODES };
export const ListLanguageSchema = z
  .enum(LIST_LANGUAGES, { message: "one of en, de, fr, es, pt-BR, ja" })
  .openapi("ListLanguage");

/** The most custom fields one signup form may ask for. */
export const MAX_FORM_FIELDS = 30;

/** The hosted signup page of a public list and its embed snippet (null texts: the list's own). */
export const ListFormSettingsSchema = z
  .object({
    title: z.string().nullable(),
    intro: z.string().nullable(),
    buttonLabel: z.string().nullable(),
    successMessage: z.string().nullable(),
    /** Whether the form asks for the subscriber's name. */
    name: z.enum(NAME_FIELD_MODES),
    /** Custom fields the form asks for, in order (keys of /api/v1/fields). */
    fields: z.array(z.object({ key: z.string(), required: z.boolean() })),
  })
  .openapi("ListFormSettings");
export type ListFormSettings = z.infer<typeof ListFormSettingsSchema>;

const formText = (max: number) => z.string().trim().max(max).nullable();

/** A change of the signup form: any of its keys; `fields` replaces the whole list of fields. */
export const UpdateListFormSchema = z
  .object({
    title: formText(200),
    intro: formText(2000),
    buttonLabel: formText(60),
    successMessage: formText(1000),
    name: z.enum(NAME_FIELD_MODES, { message: "hidden, optional or required" }),
    fields: z
      .array(
        z
          .object({
            key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "a custom field key"),
            required: z.boolean().default(false),
          })
          .strict(),
      )
      .max(MAX_FORM_FIELDS, `at most ${MAX_FORM_FIELDS} fields`)
      .refine((f) => new Set(f.map((x) => x.key)).size === f.length, "each field at most once"),
  })
  .partial()
  .strict()
  .openapi("UpdateListForm");
export type UpdateListForm = z.infer<typeof UpdateListFormSchema>;

export const ListSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    optIn: z.enum(LIST_OPT_INS),
    visibility: z.enum(LIST_VISIBILITIES),
    /** Members by membership status. */
    counts: z.object({
      unconfirmed: z.number().int(),
      confirmed: z.number().int(),
      unsubscribed: z.number().int(),
    }),
    /** Set once a list with members was deleted: it keeps its records and takes no one new. */
    archivedAt: z.string().nullable(),
    /** The language of its public pages; null: the visitor's Accept-Language. */
    language: ListLanguageSchema.nullable(),
    /** The hosted signup page (`/subscribe/:id`, public lists only) and embed snippet. */
    form: ListFormSettingsSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("List", {
    example: {
      id: "0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091",
      name: "Newsletter",
      description: "Monthly product news",
      optIn: "single",
      visibility: "public",
      counts: { unconfirmed: 12, confirmed: 1180, unsubscribed: 8 },
      archivedAt: null,
      language: "en",
      form: {
        title: "Join our newsletter",
        intro: "News once a month.",
        buttonLabel: "Subscribe",
        successMessage: "Thanks! Check your inbox.",
        name: "hidden",
        fields: [{ key: "company", required: false }],
      },
      createdAt: "2026-03-02T09:30:00.000Z",
      updatedAt: "2026-03-02T09:30:00.000Z",
    },
  });

export const ListQuerySchema = PageQuerySchema.extend({
  archived: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .openapi({ description: "true: the archived lists instead of the live ones" }),
});

export const CreateListSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).nullable().optional(),
    optIn: z.enum(LIST_OPT_INS).default("single"),
    visibility: z.enum(LIST_VISIBILITIES).default("private"),
    language: ListLanguageSchema.nullable().optional(),
    form: UpdateListFormSchema.optional(),
  })
  .strict()
  .openapi("CreateList", {
    example: {
      name: "Newsletter",
      description: "Monthly product news",
      optIn: "double",
      visibility: "public",
    },
  });
export type CreateList = z.infer<typeof CreateListSchema>;

export const UpdateListSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(2000).nullable().optional(),
    optIn: z.enum(LIST_OPT_INS).optional(),
    visibility: z.enum(LIST_VISIBILITIES).optional(),
    language: ListLanguageSchema.nullable().optional(),
    form: UpdateListFormSchema.optional(),
  })
  .strict()
  .openapi("UpdateList", { example: { description: "Product news, twice a month", optIn: "single" } });
export type UpdateList = z.infer<typeof UpdateListSchema>;

// ---- Subscribers ----------------------------------------------------------------------------

export const SubscriberStatusSchema = z.enum(SUBSCRIBER_STATUSES).openapi("SubscriberStatus");

export const SubscriberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    status: SubscriberStatusSchema,
    fields: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Subscriber", {
    example: {
      id: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
      email: "ada@example.com",
      name: "Ada Lovelace",
      status: "active",
      fields: { company: "Acme" },
      createdAt: "2026-03-02T09:30:00.000Z",
      updatedAt: "2026-03-02T09:30:00.000Z",
    },
  });

export const MembershipSchema = z
  .object({
    listId: z.string(),
    listName: z.string(),
    status: z.enum(MEMBERSHIP_STATUSES),
    source: z.enum(CONSENT_SOURCES),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    consentedAt: z.string(),
    confirmedAt: z.string().nullable(),
    unsubscribedAt: z.string().nullable(),
  })
  .openapi("Membership");

/** One subscriber with their lists (and consent records) and whether the address is suppressed. */
export const SubscriberDetailSchema = SubscriberSchema.extend({
  lists: z.array(MembershipSchema),
  suppressed: z.boolean(),
}).openapi("SubscriberDetail", {
  example: {
    id: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
    email: "ada@example.com",
    name: "Ada Lovelace",
    status: "active",
    fields: { company: "Acme" },
    createdAt: "2026-03-02T09:30:00.000Z",
    updatedAt: "2026-03-02T09:30:00.000Z",
    lists: [
      {
        listId: "0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091",
        listName: "Newsletter",
        status: "unconfirmed",
        source: "api",
        ip: "203.0.113.7",
        userAgent: "Mozilla/5.0",
        consentedAt: "2026-03-02T09:30:00.000Z",
        confirmedAt: "2026-03-02T09:30:00.000Z",
        unsubscribedAt: "2026-03-02T09:30:00.000Z",
      },
    ],
    suppressed: false,
  },
});

const fieldValues = z.record(z.string(), z.unknown());

export const CreateSubscriberSchema = z
  .object({
    email: z.string().max(320),
    name: z.string().trim().max(200).nullable().optional(),
    fields: fieldValues.optional(),
    listIds: z.array(z.string().uuid()).max(100).optional(),
    status: SubscriberStatusSchema.optional(),
    /** Double opt-in lists: record the membership as confirmed and send no confirmation mail. */
    preconfirm: z.boolean().optional(),
  })
  .strict()
  .openapi("CreateSubscriber", {
    example: {
      email: "ada@example.com",
      name: "Ada Lovelace",
      fields: { company: "Acme" },
      listIds: ["0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091"],
    },
  });
export type CreateSubscriber = z.infer<typeof CreateSubscriberSchema>;

export const UpdateSubscriberSchema = z
  .object({
    email: z.string().max(320).optional(),
    name: z.string().trim().max(200).nullable().optional(),
    /** Merged into the stored fields; a `null` value removes that field. */
    fields: fieldValues.optional(),
    status: SubscriberStatusSchema.optional(),
  })
  .strict()
  .openapi("UpdateSubscriber", {
    example: { name: "Ada King", fields: { company: "Analytical Engines Ltd" } },
  });
export type UpdateSubscriber = z.infer<typeof UpdateSubscriberSchema>;

/** Orders `GET /subscribers` can be sorted in. */
export const SUBSCRIBER_SORTS = ["email", "name", "status", "createdAt", "updatedAt"] as const;
export type SubscriberSort = (typeof SUBSCRIBER_SORTS)[number];

export const SubscriberQuerySchema = PageQuerySchema.extend({
  listId: z.string().uuid().optional(),
  segmentId: z.string().uuid().optional(),
  status: SubscriberStatusSchema.optional(),
  /** Prefix of the email address or the name, case-insensitive. */
  q: z.string().trim().max(254).optional(),
  sort: z
    .enum(SUBSCRIBER_SORTS)
    .optional()
    .openapi({
      description:
        "Sort by email or name (case-insensitive; no name sorts as empty), status, createdAt or updatedAt. " +
        "Without it: newest first. A cursor only continues the sort it came from (else 400).",
    }),
  order: z.enum(["asc", "desc"]).optional().openapi({
    description: "With `sort`: asc (default for email, name, status) or desc (default for dates)",
  }),
});
export type SubscriberQuery = z.infer<typeof SubscriberQuerySchema>;

/** The filters and sort of `GET /subscribers/export` (every page of them, as CSV). */
export const SubscriberExportQuerySchema = SubscriberQuerySchema.omit({ limit: true, cursor: true });
export type SubscriberExportQuery = z.infer<typeof SubscriberExportQuerySchema>;

export const MembershipChangeSchema = z
  .object({
    add: z.array(z.string().uuid()).max(100).optional(),
    remove: z.array(z.string().uuid()).max(100).optional(),
    preconfirm: z.boolean().optional(),
  })
  .strict()
  .openapi("MembershipChange", { example: { add: ["0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091"], remove: [] } });
export type MembershipChange = z.infer<typeof MembershipChangeSchema>;

export const SubscriberExportSchema = z
  .object({
    exportedAt: z.string(),
    profile: SubscriberSchema,
    lists: z.array(MembershipSchema),
    events: z.array(z.record(z.string(), z.unknown())),
    sends: z.array(z.record(z.string(), z.unknown())),
    suppressed: z.boolean(),
  })
  .openapi("SubscriberExport", {
    example: {
      exportedAt: "2026-03-02T09:30:00.000Z",
      profile: {
        id: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
        email: "ada@example.com",
        name: "Ada Lovelace",
        status: "active",
        fields: { company: "Acme" },
        createdAt: "2026-03-02T09:30:00.000Z",
        updatedAt: "2026-03-02T09:30:00.000Z",
      },
      lists: [
        {
          listId: "0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091",
          listName: "Newsletter",
          status: "unconfirmed",
          source: "api",
          ip: "203.0.113.7",
          userAgent: "Mozilla/5.0",
          consentedAt: "2026-03-02T09:30:00.000Z",
          confirmedAt: "2026-03-02T09:30:00.000Z",
          unsubscribedAt: "2026-03-02T09:30:00.000Z",
        },
      ],
      events: [{ plan: "pro" }],
      sends: [{ plan: "pro" }],
      suppressed: false,
    },
  });

// ---- Suppressions ---------------------------------------------------------------------------

export const SuppressionSchema = z
  .object({
    id: z.string(),
    /** Null once the subscriber was erased: only the hash remains. */
    email: z.string().nullable(),
    emailHash: z.string(),
    reason: z.enum(SUPPRESSION_REASONS),
    detail: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Suppression", {
    example: {
      id: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
      email: "ada@example.com",
      emailHash: "5d41402abc4b2a76b9719d911017c592…",
      reason: "manual",
      detail: null,
      createdAt: "2026-03-02T09:30:00.000Z",
    },
  });

export const CreateSuppressionSchema = z
  .object({
    email: z.string().max(320),
    reason: z.enum(["manual", "bounce", "complaint", "unsubscribe"]).default("manual"),
    detail: z.string().trim().max(1000).optional(),
  })
  .strict()
  .openapi("CreateSuppression", { example: { email: "ada@example.com", reason: "manual" } });
export type CreateSuppression = z.infer<typeof CreateSuppressionSchema>;

export const SuppressionQuerySchema = PageQuerySchema.extend({
  reason: z.enum(SUPPRESSION_REASONS).optional(),
  /** Prefix of the address. */
  q: z.string().trim().max(254).optional(),
});
export type SuppressionQuery = z.infer<typeof SuppressionQuerySchema>;

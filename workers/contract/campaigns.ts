import { z } from "@hono/zod-openapi";
import { CAMPAIGN_STATUSES } from "../../schema/campaigns";
import { SEND_STATUSES } from "../../schema/sends";
import { PageQuerySchema } from "./common";

const uuid = z.string().uuid();
const email = z.string().trim().max(320).email();

export const AbTestSchema = z
  .object({
    variants: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(100),
            /** Overrides the template's subject for this variant. */
            subject: z.string().trim().min(1).max(998).optional(),
            /** Another template for this variant. */
            templateId: uuid.optional(),
          })
          .strict(),
      )
      .min(2)
      .max(5),
    /** Share of the audience in the test, split evenly between the variants; the rest get the winner. */
    testPercent: z.number().min(1).max(100),
    metric: z.enum(["opens", "clicks"]).default("clicks"),
    /** How long the test runs before the winner is picked. */
    waitMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
  })
  .refine((t) => new Set(t.variants.map((v) => v.name)).size === t.variants.length, {
    message: "variant names must differ",
    path: ["variants"],
  })
  .strict()
  .openapi("AbTest");

export const VariantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    subject: z.string().nullable(),
    templateId: z.string().nullable(),
    templateVersion: z.number().int().nullable(),
    isWinner: z.boolean(),
    position: z.number().int(),
  })
  .openapi("Variant");

export const CampaignStatusSchema = z.enum(CAMPAIGN_STATUSES).openapi("CampaignStatus");

export const CampaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: CampaignStatusSchema,
    templateId: z.string(),
    templateVersion: z.number().int().nullable(),
    listIds: z.array(z.string()),
    segmentId: z.string().nullable(),
    fromName: z.string(),
    fromEmail: z.string(),
    replyTo: z.string().nullable(),
    relayId: z.string().nullable(),
    abTest: AbTestSchema.nullable(),
    sendAt: z.string().nullable(),
    timezone: z.string().nullable(),
    /** Delivered at `sendAt`'s wall-clock time in each recipient's own time zone. */
    localTime: z.boolean(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    pausedReason: z.string().nullable(),
    /** Why a `failed` campaign failed (nothing was accepted): the most frequent error. */
    failureReason: z.string().nullable(),
    audienceSize: z.number().int().nullable(),
    testEndsAt: z.string().nullable(),
    winnerReason: z.string().nullable(),
    sentCount: z.number().int(),
    failedCount: z.number().int(),
    bounceCount: z.number().int(),
    /** Set once a campaign that had started sending was deleted: kept as a record, read-only. */
    archivedAt: z.string().nullable(),
    variants: z.array(VariantSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Campaign", {
    example: {
      id: "0193b5a1-1b2c-7d3e-8f40-5162738495a6",
      name: "March newsletter",
      status: "sent",
      templateId: "0193b5a0-7a2b-7c3d-9e4f-5061728394a5",
      templateVersion: 3,
      listIds: ["0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091"],
      segmentId: null,
      fromName: "Acme News",
      fromEmail: "news@example.com",
      replyTo: "hello@example.com",
      relayId: null,
      abTest: null,
      sendAt: null,
      timezone: "Europe/Berlin",
      localTime: false,
      startedAt: "2026-03-02T09:30:00.000Z",
      finishedAt: "2026-03-02T09:41:12.000Z",
      pausedReason: null,
      failureReason: null,
      audienceSize: 1200,
      testEndsAt: null,
      winnerReason: null,
      sentCount: 1200,
      failedCount: 0,
      bounceCount: 12,
      archivedAt: null,
      variants: [],
      createdAt: "2026-02-27T16:05:00.000Z",
      updatedAt: "2026-03-02T09:30:00.000Z",
    },
  });

const campaignFields = {
  name: z.string().trim().min(1).max(200),
  templateId: uuid,
  listIds: z.array(uuid).max(100).default([]),
  segmentId: uuid.nullable().optional(),
  fromName: z.string().trim().min(1).max(200),
  fromEmail: email,
  replyTo: email.nullable().optional(),
  relayId: uuid.nullable().optional(),
  abTest: AbTestSchema.nullable().optional(),
};

export const CreateCampaignSchema = z
  .object(campaignFields)
  .strict()
  .openapi("CreateCampaign", {
    example: {
      name: "March newsletter",
      templateId: "0193b5a0-7a2b-7c3d-9e4f-5061728394a5",
      listIds: ["0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091"],
      fromName: "Acme News",
      fromEmail: "news@example.com",
      replyTo: "hello@example.com",
    },
  });
export type CreateCampaign = z.infer<typeof CreateCampaignSchema>;

export const UpdateCampaignSchema = z
  .object({ ...campaignFields, listIds: z.array(uuid).max(100) })
  .partial()
  .strict()
  .openapi("UpdateCampaign", {
    example: { name: "March newsletter (final)", listIds: ["0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091"] },
  });
export type UpdateCampaign = z.infer<typeof UpdateCampaignSchema>;

export const CampaignQuerySchema = PageQuerySchema.extend({
  /** One status, or several comma separated (`sending,sent`). */
  status: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const parts = v.split(",").map((p) => p.trim());
      const bad = parts.filter((p) => !(CAMPAIGN_STATUSES as readonly string[]).includes(p));
      if (bad.length > 0) {
        ctx.addIssue({ code: "custom", message: `unknown status: ${bad.join(", ")}` });
        return z.NEVER;
      }
      return parts as (typeof CAMPAIGN_STATUSES)[number][];
    })
    .openapi({
      description: "draft, scheduled, testing, sending, paused, sent or cancelled; several comma separated",
    }),
  /** Newest first by default. */
  order: z.enum(["asc", "desc"]).default("desc"),
  sort: z.enum(["created", "started"]).default("created").openapi({
    description:
      "created (default): by creation; started: by when sending started, creation for those never started",
  }),
  archived: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .openapi({ description: "true: the archived campaigns instead of the live ones" }),
});

export const ScheduleSchema = z
  .object({
    /** ISO-8601 with an offset or Z, e.g. 2026-12-24T09:00:00+01:00. */
    sendAt: z.string().datetime({ offset: true }),
    /** IANA zone the time was picked in (shown in the dashboard), e.g. Europe/Berlin. */
    timezone: z.string().max(64).optional(),
    /**
     * Deliver at `sendAt`'s wall-clock time (read in `timezone`, else the organisation's) in each
     * subscriber's own time zone: their `timezone` field, else where they were last seen, else
     * the organisation's. Releases over up to 26 hours.
     */
    localTime: z.boolean().optional(),
  })
  .strict()
  .openapi("Schedule", {
    example: { sendAt: "2026-03-02T09:00:00+01:00", timezone: "Europe/Berlin", localTime: false },
  });

export const TestSendSchema = z
  .object({
    emails: z.array(email).min(1).max(10),
    /** Send an A/B variant's subject and template instead of the campaign's own. */
    variantId: uuid.optional(),
  })
  .strict()
  .openapi("CampaignTestSend", { example: { emails: ["ada@example.com", "grace@example.com"] } });

export const TestSendResultSchema = z
  .object({
    results: z.array(
      z.object({
        email: z.string(),
        accepted: z.boolean(),
        message: z.string(),
        code: z.number().int().optional(),
      }),
    ),
  })
  .openapi("CampaignTestSendResult", {
    example: {
      results: [{ email: "ada@example.com", accepted: false, message: "No such template", code: 250 }],
    },
  });

const counts = {
  sent: z.number().int(),
  failed: z.number().int(),
  delivered: z.number().int(),
  opens: z.number().int(),
  uniqueOpens: z.number().int(),
  clicks: z.number().int(),
  uniqueClicks: z.number().int(),
  bounces: z.number().int(),
  complaints: z.number().int(),
  unsubscribes: z.number().int(),
  machineOpens: z.number().int(),
};

/** One time zone of a local-time campaign: when it is released and how far it got. */
export const ZoneProgressSchema = z
  .object({
    timezone: z.string(),
    /** When the zone's clock shows the campaign's time (UTC). */
    releaseAt: z.string(),
    /** The zone's wall-clock release time, e.g. "2026-12-24 09:00". */
    localReleaseAt: z.string(),
    audience: z.number().int(),
    /** Recipients whose chunks were handed to the senders. */
    released: z.number().int(),
    /** Accepted by the relay. */
    sent: z.number().int(),
    /** Not sent for good: failed, bounced, or skipped (cancelled, suppressed since). */
    notSent: z.number().int(),
    /** waiting: not yet its time; sending: released, some left; done: every recipient final. */
    status: z.enum(["waiting", "sending", "done"]),
  })
  .openapi("CampaignZoneProgress");
export type ZoneProgress = z.infer<typeof ZoneProgressSchema>;

export const CampaignStatsSchema = z
  .object({
    status: CampaignStatusSchema,
    audience: z.number().int(),
    queued: z.number().int(),
    /** Messages claimed and on their way to the relay, no outcome yet. */
    inFlight: z.number().int(),
    /** Recipients never sent to: the campaign was cancelled first, or they were suppressed or left. */
    skipped: z.number().int(),
    ...counts,
    openRate: z.number(),
    clickRate: z.number(),
    bounceRate: z.number(),
    variants: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          isWinner: z.boolean(),
          audience: z.number().int(),
          ...counts,
        }),
      )
      .optional(),
    /** Local-time campaigns once frozen: one entry per time zone, in release order. */
    zones: z.array(ZoneProgressSchema).optional(),
  })
  .openapi("CampaignStats", {
    example: {
      status: "draft",
      audience: 1200,
      queued: 0,
      inFlight: 0,
      skipped: 0,
      sent: 1200,
      failed: 0,
      delivered: 1188,
      opens: 640,
      uniqueOpens: 512,
      clicks: 180,
      uniqueClicks: 150,
      bounces: 12,
      complaints: 1,
      unsubscribes: 4,
      machineOpens: 90,
      openRate: 0.431,
      clickRate: 0.126,
      bounceRate: 0.01,
      variants: [
        {
          id: "0193b5a1-1b2c-7d3e-8f40-5162738495a6",
          name: "March newsletter",
          isWinner: true,
          audience: 1200,
          sent: 1200,
          failed: 0,
          delivered: 1188,
          opens: 640,
          uniqueOpens: 512,
          clicks: 180,
          uniqueClicks: 150,
          bounces: 12,
          complaints: 1,
          unsubscribes: 4,
          machineOpens: 90,
        },
      ],
      zones: [
        {
          timezone: "Europe/Berlin",
          releaseAt: "2026-03-02T09:30:00.000Z",
          localReleaseAt: "2026-03-02T09:30:00.000Z",
          audience: 1200,
          released: 12,
          sent: 1200,
          notSent: 12,
          status: "waiting",
        },
      ],
    },
  });

export const SendSchema = z
  .object({
    id: z.string(),
    subscriberId: z.string().nullable(),
    email: z.string(),
    variantId: z.string().nullable(),
    status: z.enum(SEND_STATUSES),
    attempts: z.number().int(),
    lastCode: z.number().int().nullable(),
    lastEnhanced: z.string().nullable(),
    lastError: z.string().nullable(),
    nextRetryAt: z.string().nullable(),
    messageId: z.string().nullable(),
    sentAt: z.string().nullable(),
    openedAt: z.string().nullable(),
    clickedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi("Send", {
    example: {
      id: "1042",
      subscriberId: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
      email: "ada@example.com",
      variantId: null,
      status: "sent",
      attempts: 1,
      lastCode: 250,
      lastEnhanced: "2.0.0",
      lastError: null,
      nextRetryAt: null,
      messageId: "<0193b5a1.d7e8@mail.example.com>",
      sentAt: "2026-03-02T09:30:00.000Z",
      openedAt: "2026-03-02T09:30:00.000Z",
      clickedAt: null,
      updatedAt: "2026-03-02T09:30:00.000Z",
    },
  });

export const ChunksQuerySchema = PageQuerySchema.extend({
  status: z.enum(["pending", "queued", "done", "dead"]).optional(),
});

export const SendsQuerySchema = PageQuerySchema.extend({
  status: z.enum(SEND_STATUSES).optional(),
  q: z.string().trim().max(320).optional().openapi({ description: "Email starts with" }),
});

export const RetrySchema = z
  .object({
    /** Only these sends; default every failed send of the campaign. */
    sendIds: z.array(z.string().regex(/^\d+$/)).max(10_000).optional(),
  })
  .strict()
  .openapi("RetrySends", { example: { sendIds: ["1042", "1043"] } });

export const ChunkSchema = z
  .object({
    seq: z.number().int(),
    phase: z.string(),
    size: z.number().int(),
    status: z.enum(["pending", "queued", "done", "dead"]),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    enqueuedAt: z.string().nullable(),
    doneAt: z.string().nullable(),
  })
  .openapi("SendChunk", {
    example: {
      seq: 0,
      phase: "main",
      size: 500,
      status: "done",
      attempts: 1,
      lastError: null,
      enqueuedAt: "2026-03-02T09:30:00.000Z",
      doneAt: "2026-03-02T09:30:00.000Z",
    },
  });

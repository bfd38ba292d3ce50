import { z } from "@hono/zod-openapi";
import type { SegmentRule } from "../../schema/segments";
// Subscribers' schema lives with the other audience schemas (fields, lists, subscribers).
import { SubscriberSchema } from "./audience";

export type { SegmentRule };

/**
 * A rule tree (API.md, "Segment rules"). zod checks only that it is an object; the domain
 * validates the tree against the field definitions and names the exact node of each problem.
 */
export const SegmentRulesSchema = z.record(z.string(), z.unknown()).openapi("SegmentRules", {
  description:
    'A node is {"and": [..]}, {"or": [..]}, {"not": node} or a condition: {field, op, value}, {list}, ' +
    '{status}, {createdWithinDays}, {event: "opened"|"clicked", campaignId: id|"any", withinDays?, never?}. ' +
    "Operators by field type: text eq neq contains startsWith isSet; select and boolean eq neq isSet; " +
    "number eq neq gt gte lt lte isSet; date eq neq before after withinDays isSet. eq is exact; " +
    "contains and startsWith ignore case; neq (like not) includes subscribers without the field. " +
    "At most 10 levels and 200 nodes. Only human (non-machine) opens and clicks count.",
  example: {
    and: [
      { field: "age", op: "gte", value: 30 },
      { list: "0190f0a4-8a1b-7c3d-9e2f-0123456789ab" },
      { event: "opened", campaignId: "any", withinDays: 30 },
    ],
  },
});

export const SegmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    rules: SegmentRulesSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Segment", {
    example: {
      id: "0193b5a1-3d4e-7f50-8162-738495a6b7c8",
      name: "Engaged in Germany",
      rules: {
        and: [
          { field: "age", op: "gte", value: 30 },
          { list: "0190f0a4-8a1b-7c3d-9e2f-0123456789ab" },
          { event: "opened", campaignId: "any", withinDays: 30 },
        ],
      },
      createdAt: "2026-03-02T09:30:00.000Z",
      updatedAt: "2026-03-02T09:30:00.000Z",
    },
  });

const name = z.string().trim().min(1).max(200);

export const CreateSegmentSchema = z
  .object({ name, rules: SegmentRulesSchema })
  .strict()
  .openapi("CreateSegment", {
    example: {
      name: "Engaged customers",
      rules: {
        and: [
          { list: "0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091" },
          { field: "company", op: "isSet" },
          { event: "opened", campaignId: "any", withinDays: 30 },
        ],
      },
    },
  });
export type CreateSegment = z.infer<typeof CreateSegmentSchema>;

export const UpdateSegmentSchema = z
  .object({ name: name.optional(), rules: SegmentRulesSchema.optional() })
  .strict()
  .openapi("UpdateSegment", { example: { name: "Engaged customers (30 days)" } });
export type UpdateSegment = z.infer<typeof UpdateSegmentSchema>;

const sampleSize = z.coerce.number().int().min(0).max(100).default(10);

export const SegmentPreviewRequestSchema = z
  .object({ rules: SegmentRulesSchema, sampleSize })
  .strict()
  .openapi("SegmentPreviewRequest", {
    example: {
      rules: {
        and: [
          { list: "0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091" },
          { field: "company", op: "isSet" },
          { event: "opened", campaignId: "any", withinDays: 30 },
        ],
      },
    },
  });

export const SegmentPreviewQuerySchema = z.object({ sampleSize });

export const SegmentPreviewSchema = z
  .object({ count: z.number().int(), sample: z.array(SubscriberSchema) })
  .openapi("SegmentPreview", {
    example: {
      count: 1200,
      sample: [
        {
          id: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
          email: "ada@example.com",
          name: "Ada Lovelace",
          status: "active",
          fields: { company: "Acme" },
          createdAt: "2026-03-02T09:30:00.000Z",
          updatedAt: "2026-03-02T09:30:00.000Z",
        },
      ],
    },
  });

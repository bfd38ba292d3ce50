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
  .openapi("Segment");

const name = z.string().trim().min(1).max(200);

export const CreateSegmentSchema = z
  .object({ name, rules: SegmentRulesSchema })
  .strict()
  .openapi("CreateSegment");
export type CreateSegment = z.infer<typeof CreateSegmentSchema>;

export const UpdateSegmentSchema = z
  .object({ name: name.optional(), rules: SegmentRulesSchema.optional() })
  .strict()
  .openapi("UpdateSegment");
export type UpdateSegment = z.infer<typeof UpdateSegmentSchema>;

const sampleSize = z.coerce.number().int().min(0).max(100).default(10);

export const SegmentPreviewRequestSchema = z
  .object({ rules: SegmentRulesSchema, sampleSize })
  .strict()
  .openapi("SegmentPreviewRequest");

export const SegmentPreviewQuerySchema = z.object({ sampleSize });

export const SegmentPreviewSchema = z
  .object({ count: z.number().int(), sample: z.array(SubscriberSchema) })
  .openapi("SegmentPreview");

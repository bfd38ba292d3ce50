import { z } from "@hono/zod-openapi";
import { PageQuerySchema } from "./common";
import { SegmentRulesSchema } from "./segments";

/**
 * Automation (API.md, "Automation"). zod checks the shape of each piece; the graph itself
 * (reachability, branches, cycles without a wait, unknown templates, lists, fields and segments)
 * is checked by `domain/workflows/validate.ts`, whose 422 names the node.
 */

const uuid = z.string().uuid();
const email = z.string().trim().max(320).email();
const eventName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits and _ . : - only");
/** "HH:MM", 24-hour. */
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as "HH:MM"');
const fieldKey = z.string().trim().min(1).max(64);

export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const nodeId = z.string().regex(NODE_ID_PATTERN, "1-64 letters, digits, _ or -");

export const WorkflowTriggerSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("list_joined"), listId: uuid, existing: z.boolean().optional() }),
    z.object({ type: z.literal("event"), name: eventName, existing: z.boolean().optional() }),
    z.object({ type: z.literal("segment_entered"), segmentId: uuid, existing: z.boolean().optional() }),
    z.object({
      type: z.literal("date_field"),
      field: fieldKey,
      offsetDays: z.number().int().min(-365).max(365).optional(),
      time: timeOfDay.optional(),
      existing: z.boolean().optional(),
    }),
    z.object({
      type: z.literal("campaign_activity"),
      campaignId: uuid,
      activity: z.enum(["opened", "clicked"]),
      existing: z.boolean().optional(),
    }),
  ])
  .openapi("WorkflowTrigger", {
    description:
      "What enters a subscriber. `existing: true` also enters everyone who matches when the workflow is activated.",
    example: { type: "list_joined", listId: "0190f0a4-8a1b-7c3d-9e2f-0123456789ab" },
  });
export type WorkflowTrigger = z.infer<typeof WorkflowTriggerSchema>;
export type TriggerType = WorkflowTrigger["type"];

export const ReentrySchema = z.enum(["once", "after_exit", "always"]).openapi("WorkflowReentry");
export type Reentry = z.infer<typeof ReentrySchema>;

export const WorkflowGoalSchema = z
  .union([z.object({ event: eventName }).strict(), SegmentRulesSchema])
  .openapi("WorkflowGoal", {
    description:
      'A segment rule, or {"event": "<name>"}: a subscriber who meets it leaves at once, converted.',
  });
export type WorkflowGoal = z.infer<typeof WorkflowGoalSchema>;

/** Shared by every node: its id (unique in the workflow) and an optional label for the editor. */
const base = { id: nodeId, label: z.string().trim().max(100).optional() };

const WaitSchema = z.object({
  ...base,
  type: z.literal("wait"),
  /** A duration. */
  seconds: z
    .number()
    .int()
    .min(1)
    .max(366 * 86400)
    .optional(),
  /** The next time of day on one of the weekdays (1 = Monday .. 7 = Sunday). */
  until: z
    .object({
      time: timeOfDay,
      weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
      /** "subscriber" (default: their `timezone` field, else the organisation's) or an IANA zone. */
      timezone: z.string().trim().min(1).max(64).optional(),
    })
    .optional(),
  /** A date field of the subscriber, plus an offset; at the start of that day in their zone. */
  untilField: fieldKey.optional(),
  offsetDays: z.number().int().min(-365).max(365).optional(),
});

export const WorkflowNodeSchema = z
  .discriminatedUnion("type", [
    z.object({
      ...base,
      type: z.literal("send"),
      templateId: uuid,
      fromEmail: email.optional(),
      fromName: z.string().trim().max(200).optional(),
      subject: z.string().trim().min(1).max(998).optional(),
    }),
    WaitSchema,
    z.object({
      ...base,
      type: z.literal("wait_event"),
      event: eventName,
      /** Property values the event must carry; `{{ trigger.properties.x }}` reads the trigger event. */
      match: z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
      timeoutSeconds: z
        .number()
        .int()
        .min(1)
        .max(366 * 86400),
    }),
    z.object({
      ...base,
      type: z.literal("condition"),
      /** A segment rule, or {"sent": "<send node id>", "activity": "opened"|"clicked"}. */
      rule: z.union([
        z.object({ sent: nodeId, activity: z.enum(["opened", "clicked"]) }).strict(),
        SegmentRulesSchema,
      ]),
    }),
    z.object({
      ...base,
      type: z.literal("split"),
      weights: z.array(z.number().int().min(0).max(1000)).min(2).max(10),
    }),
    z.object({
      ...base,
      type: z.literal("update"),
      set: z.record(fieldKey, z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
      addLists: z.array(uuid).max(50).optional(),
      removeLists: z.array(uuid).max(50).optional(),
    }),
    z.object({
      ...base,
      type: z.literal("webhook"),
      url: z.string().trim().url().max(2000),
      /** The name of a stored secret to sign with; default: the organisation's workflow signing secret. */
      secretRef: z.string().trim().max(100).optional(),
    }),
    z.object({ ...base, type: z.literal("exit") }),
  ])
  .openapi("WorkflowNode");
export type WorkflowNode = z.infer<typeof WorkflowNodeSchema>;
export type NodeType = WorkflowNode["type"];
export type NodeOf<T extends NodeType> = Extract<WorkflowNode, { type: T }>;

export const WorkflowEdgeSchema = z
  .object({
    from: nodeId,
    to: nodeId,
    /** condition: "yes" | "no"; wait_event: "event" | "timeout"; split: "0", "1", ... */
    branch: z.string().max(20).optional(),
  })
  .openapi("WorkflowEdge");
export type WorkflowEdge = z.infer<typeof WorkflowEdgeSchema>;

const definition = {
  trigger: WorkflowTriggerSchema,
  reentry: ReentrySchema.optional(),
  goal: WorkflowGoalSchema.nullable().optional(),
  nodes: z.array(WorkflowNodeSchema).max(500),
  edges: z.array(WorkflowEdgeSchema).max(1000),
};

/** A definition as stored in a version. */
export const WorkflowDefinitionSchema = z.object(definition).openapi("WorkflowDefinition");
export type WorkflowDefinition = z.infer<typeof WorkflowDefinitionSchema>;

const name = z.string().trim().min(1).max(200);

export const CreateWorkflowSchema = z
  .object({ name, ...definition, nodes: definition.nodes.default([]), edges: definition.edges.default([]) })
  .strict()
  .openapi("CreateWorkflow", {
    example: {
      name: "Welcome series",
      trigger: { type: "list_joined", listId: "0190f0a4-8a1b-7c3d-9e2f-0123456789ab" },
      reentry: "once",
      nodes: [
        { id: "welcome", type: "send", templateId: "0190f0a4-8a1b-7c3d-9e2f-0123456789ac" },
        { id: "wait", type: "wait", seconds: 86400 },
        { id: "opened", type: "condition", rule: { sent: "welcome", activity: "opened" } },
        { id: "tips", type: "send", templateId: "0190f0a4-8a1b-7c3d-9e2f-0123456789ad" },
        { id: "nudge", type: "send", templateId: "0190f0a4-8a1b-7c3d-9e2f-0123456789ae" },
      ],
      edges: [
        { from: "welcome", to: "wait" },
        { from: "wait", to: "opened" },
        { from: "opened", to: "tips", branch: "yes" },
        { from: "opened", to: "nudge", branch: "no" },
      ],
    },
  });
export type CreateWorkflow = z.infer<typeof CreateWorkflowSchema>;

export const UpdateWorkflowSchema = z
  .object({
    name: name.optional(),
    trigger: definition.trigger.optional(),
    reentry: definition.reentry,
    goal: definition.goal,
    nodes: definition.nodes.optional(),
    edges: definition.edges.optional(),
  })
  .strict()
  .openapi("UpdateWorkflow", { example: { name: "Welcome series (v2)" } });
export type UpdateWorkflow = z.infer<typeof UpdateWorkflowSchema>;

export const WORKFLOW_STATUS_VALUES = ["draft", "active", "paused", "inactive"] as const;
export const WorkflowStatusSchema = z.enum(WORKFLOW_STATUS_VALUES).openapi("WorkflowStatus");

export const WorkflowCountsSchema = z
  .object({
    /** Every run ever started. */
    entered: z.number().int(),
    /** Runs in progress (running or waiting). */
    active: z.number().int(),
    converted: z.number().int(),
    completed: z.number().int(),
    exited: z.number().int(),
  })
  .openapi("WorkflowCounts");

export const WorkflowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: WorkflowStatusSchema,
    /** The newest version: what PATCH wrote last and what new entries run. */
    version: z.number().int(),
    ...definition,
    reentry: ReentrySchema,
    goal: WorkflowGoalSchema.nullable(),
    counts: WorkflowCountsSchema,
    activatedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Workflow", {
    example: {
      id: "0193b5a1-6071-7283-9495-a6b7c8d9eafb",
      name: "Welcome series",
      status: "active",
      version: 2,
      trigger: { type: "list_joined", listId: "0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091" },
      reentry: "once",
      goal: null,
      nodes: [
        { id: "welcome", type: "send", templateId: "0193b5a0-7a2b-7c3d-9e4f-5061728394a5" },
        { id: "wait", type: "wait", seconds: 86400 },
        { id: "opened", type: "condition", rule: { sent: "welcome", activity: "opened" } },
        { id: "tips", type: "send", templateId: "0193b5a1-0a1b-7c2d-8e3f-405162738495" },
        { id: "nudge", type: "send", templateId: "0193b5a1-0b1c-7d2e-8f30-415263748596" },
      ],
      edges: [
        { from: "welcome", to: "wait" },
        { from: "wait", to: "opened" },
        { from: "opened", to: "tips", branch: "yes" },
        { from: "opened", to: "nudge", branch: "no" },
      ],
      counts: { entered: 320, active: 45, converted: 60, completed: 200, exited: 15 },
      activatedAt: "2026-03-01T08:00:00.000Z",
      createdAt: "2026-02-20T10:00:00.000Z",
      updatedAt: "2026-03-01T08:00:00.000Z",
    },
  });
export type Workflow = z.infer<typeof WorkflowSchema>;

export const WorkflowListQuerySchema = PageQuerySchema.extend({
  status: z.enum(WORKFLOW_STATUS_VALUES).optional(),
});

export const WorkflowVersionSchema = z
  .object({
    version: z.number().int(),
    ...definition,
    reentry: ReentrySchema,
    goal: WorkflowGoalSchema.nullable(),
    createdAt: z.string(),
  })
  .openapi("WorkflowVersion", {
    example: {
      version: 2,
      trigger: { type: "list_joined", listId: "0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091" },
      reentry: "once",
      goal: null,
      nodes: [
        { id: "welcome", type: "send", templateId: "0193b5a0-7a2b-7c3d-9e4f-5061728394a5" },
        { id: "wait", type: "wait", seconds: 86400 },
        { id: "opened", type: "condition", rule: { sent: "welcome", activity: "opened" } },
        { id: "tips", type: "send", templateId: "0193b5a1-0a1b-7c2d-8e3f-405162738495" },
        { id: "nudge", type: "send", templateId: "0193b5a1-0b1c-7d2e-8f30-415263748596" },
      ],
      edges: [
        { from: "welcome", to: "wait" },
        { from: "wait", to: "opened" },
        { from: "opened", to: "tips", branch: "yes" },
        { from: "opened", to: "nudge", branch: "no" },
      ],
      createdAt: "2026-03-01T08:00:00.000Z",
    },
  });

export const WorkflowNodeStatsSchema = z
  .object({
    nodeId: z.string(),
    type: z.string(),
    /** Standing at the node now (waiting, or about to run). */
    waiting: z.number().int(),
    /** Went through it. */
    passed: z.number().int(),
    /** Left the workflow there (unsubscribed, suppressed, goal, deactivation, exit node). */
    exited: z.number().int(),
    sent: z.number().int().optional(),
    opens: z.number().int().optional(),
    clicks: z.number().int().optional(),
  })
  .openapi("WorkflowNodeStats");

export const WorkflowStatsSchema = z
  .object({
    workflowId: z.string(),
    status: WorkflowStatusSchema,
    counts: WorkflowCountsSchema,
    nodes: z.array(WorkflowNodeStatsSchema),
  })
  .openapi("WorkflowStats", {
    example: {
      workflowId: "0193b5a1-6071-7283-9495-a6b7c8d9eafb",
      status: "active",
      counts: { entered: 320, active: 45, converted: 60, completed: 200, exited: 15 },
      nodes: [
        {
          nodeId: "welcome",
          type: "send",
          waiting: 45,
          passed: 275,
          exited: 15,
          sent: 1200,
          opens: 640,
          clicks: 180,
        },
      ],
    },
  });
export type WorkflowStats = z.infer<typeof WorkflowStatsSchema>;

export const INSTANCE_STATUS_VALUES = [
  "running",
  "waiting",
  "completed",
  "converted",
  "exited",
  "failed",
] as const;
export const InstanceStatusSchema = z.enum(INSTANCE_STATUS_VALUES).openapi("WorkflowInstanceStatus");

export const WorkflowInstanceSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    workflowName: z.string(),
    subscriberId: z.string().nullable(),
    email: z.string().nullable(),
    status: InstanceStatusSchema,
    currentNode: z.string().nullable(),
    wakeAt: z.string().nullable(),
    version: z.number().int(),
    /** Why a finished run ended (`exit node`, `unsubscribed`, `goal`, `deactivated`...). */
    exitReason: z.string().nullable(),
    enteredAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("WorkflowInstance", {
    example: {
      id: "0193b5a1-c6d7-78e9-9afb-0c1d2e3f4051",
      workflowId: "0193b5a1-6071-7283-9495-a6b7c8d9eafb",
      workflowName: "Welcome series",
      subscriberId: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
      email: "ada@example.com",
      status: "running",
      currentNode: "welcome",
      wakeAt: "2026-03-02T09:30:00.000Z",
      version: 1,
      exitReason: null,
      enteredAt: "2026-03-02T09:30:00.000Z",
      updatedAt: "2026-03-02T09:30:00.000Z",
    },
  });
export type WorkflowInstanceView = z.infer<typeof WorkflowInstanceSchema>;

export const WorkflowStepSchema = z
  .object({
    nodeId: z.string(),
    kind: z.string(),
    outcome: z.string(),
    at: z.string(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("WorkflowStep");

export const WorkflowInstanceDetailSchema = WorkflowInstanceSchema.extend({
  steps: z.array(WorkflowStepSchema),
}).openapi("WorkflowInstanceDetail", {
  example: {
    id: "0193b5a1-c6d7-78e9-9afb-0c1d2e3f4051",
    workflowId: "0193b5a1-6071-7283-9495-a6b7c8d9eafb",
    workflowName: "Welcome series",
    subscriberId: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
    email: "ada@example.com",
    status: "running",
    currentNode: "welcome",
    wakeAt: "2026-03-02T09:30:00.000Z",
    version: 1,
    exitReason: null,
    enteredAt: "2026-03-02T09:30:00.000Z",
    updatedAt: "2026-03-02T09:30:00.000Z",
    steps: [
      {
        nodeId: "0193b5a1-2c3d-7e4f-9051-62738495a6b7",
        kind: "send",
        outcome: "sent",
        at: "2026-03-02T09:30:00.000Z",
        detail: { plan: "pro" },
      },
    ],
  },
});

export const InstanceListQuerySchema = PageQuerySchema.extend({
  status: z.enum(INSTANCE_STATUS_VALUES).optional(),
  nodeId: z.string().max(64).optional(),
  subscriberId: uuid.optional(),
});

export const InstanceParamsSchema = z.object({
  id: uuid.openapi({ param: { name: "id", in: "path" } }),
  instanceId: uuid.openapi({ param: { name: "instanceId", in: "path" } }),
});

export const EventSchema = z
  .object({
    email,
    name: eventName,
    properties: z.record(z.string().max(64), z.unknown()).optional(),
  })
  // The event travels as one queue message (at most 128 KB) and becomes the run's context.
  .refine((e) => JSON.stringify(e.properties ?? {}).length <= 16 * 1024, {
    message: "properties must be at most 16 KB of JSON",
    path: ["properties"],
  })
  .strict()
  .openapi("Event", {
    example: { email: "ada@example.com", name: "cart_abandoned", properties: { cartId: 7 } },
  });
export type EventInput = z.infer<typeof EventSchema>;

export const EventAcceptedSchema = z.object({ accepted: z.literal(true) }).openapi("EventAccepted", {
  example: { accepted: true },
  description: "Always 202: unknown addresses are ignored, never created.",
});

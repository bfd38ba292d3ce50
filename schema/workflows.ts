import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { at, id, timestamps } from "./columns";
import { subscribers } from "./subscribers";

export const WORKFLOW_STATUSES = ["draft", "active", "inactive", "paused"] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];
export const workflowStatusEnum = pgEnum("workflow_status", WORKFLOW_STATUSES);

/**
 * `running`: standing at `current_node`, which has not run yet (due at `wake_at`); `waiting`: the
 * node ran (a wait, a wait for an event) and the run is due again at `wake_at`; the rest are final.
 */
export const WORKFLOW_INSTANCE_STATUSES = [
  "running",
  "waiting",
  "completed",
  "exited",
  "failed",
  "converted",
] as const;
export type WorkflowInstanceStatus = (typeof WORKFLOW_INSTANCE_STATUSES)[number];
export const workflowInstanceStatusEnum = pgEnum("workflow_instance_status", WORKFLOW_INSTANCE_STATUSES);

/** Automations. The definition lives in versions; instances run the version they started on. */
export const workflows = pgTable("workflows", {
  id: id(),
  name: text("name").notNull(),
  status: workflowStatusEnum("status").notNull().default("draft"),
  currentVersion: integer("current_version").notNull().default(1),
  activatedAt: at("activated_at"),
  /**
   * For `segment_entered` triggers: when the segment was last compared with `workflow_segment_members`
   * (the cron ticker does it every minute, set-based).
   */
  checkedAt: at("checked_at"),
  ...timestamps,
});

/** One immutable definition of a workflow: trigger, nodes and edges as the editor saved them. */
export const workflowVersions = pgTable(
  "workflow_versions",
  {
    id: id(),
    workflowId: uuid("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    trigger: jsonb("trigger").$type<Record<string, unknown>>().notNull(),
    nodes: jsonb("nodes").$type<Record<string, unknown>[]>().notNull(),
    edges: jsonb("edges").$type<Record<string, unknown>[]>().notNull(),
    reentry: text("reentry").notNull().default("once"),
    goal: jsonb("goal").$type<Record<string, unknown>>(),
    createdAt: timestamps.createdAt,
  },
  (t) => [unique("workflow_versions_workflow_version_uq").on(t.workflowId, t.version)],
);

/** One subscriber's run through a workflow. Timers live in a Durable Object; this row mirrors them. */
export const workflowInstances = pgTable(
  "workflow_instances",
  {
    /** gen_random_uuid() in the database: entries are made set-based by INSERT ... SELECT. */
    id: uuid("id").primaryKey().defaultRandom(),
    workflowId: uuid("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    status: workflowInstanceStatusEnum("status").notNull().default("running"),
    currentNode: text("current_node"),
    /**
     * How many nodes the run has left so far. Every move is fenced on it (`where visit = $seen`),
     * and a send is keyed by (instance, node, visit): a step run twice moves and sends once.
     */
    visit: integer("visit").notNull().default(0),
    /** For `wait_event`: the event awaited and the property values it must carry. */
    waitEvent: text("wait_event"),
    waitMatch: jsonb("wait_match").$type<Record<string, unknown>>(),
    /** Why a final run ended: `exit`, `end`, `goal`, `unsubscribed`, `deactivated`... */
    exitReason: text("exit_reason"),
    /**
     * The trigger occurrence that started the run (an event's id, a join's time, an anniversary's
     * year): unique per workflow and subscriber, so an occurrence seen twice enters once.
     */
    entryKey: text("entry_key"),
    /** Started under re-entry `always`: may run beside the subscriber's other runs of the workflow. */
    concurrent: boolean("concurrent").notNull().default(false),
    /** When a waiting instance is due; lets the cron ticker re-arm timers a Durable Object lost. */
    wakeAt: at("wake_at"),
    /** Trigger payload and values nodes have set, available to later nodes and templates. */
    context: jsonb("context").$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [
    foreignKey({
      name: "workflow_instances_version_fk",
      columns: [t.workflowId, t.version],
      foreignColumns: [workflowVersions.workflowId, workflowVersions.version],
    }),
    /**
     * A subscriber is in a workflow at most once at a time (finished runs do not block re-entry),
     * except for runs of an `always` workflow, which may overlap (one per abandoned cart).
     */
    uniqueIndex("workflow_instances_live_uq")
      .on(t.workflowId, t.subscriberId)
      .where(sql`${t.status} in ('running', 'waiting') and not ${t.concurrent}`),
    index("workflow_instances_workflow_idx").on(t.workflowId, t.status),
    index("workflow_instances_subscriber_idx").on(t.subscriberId, t.workflowId),
    /** The cron's safety net: live runs that are due, oldest first. */
    index("workflow_instances_due_idx").on(t.wakeAt).where(sql`${t.status} in ('running', 'waiting')`),
    /** A workflow's due runs in wake-up order (drains), not behind other workflows' due runs. */
    index("workflow_instances_workflow_due_idx")
      .on(t.workflowId, t.wakeAt)
      .where(sql`${t.status} in ('running', 'waiting')`),
    index("workflow_instances_node_idx")
      .on(t.workflowId, t.currentNode)
      .where(sql`${t.status} in ('running', 'waiting')`),
    /** One run per recurring occurrence (an anniversary's year). */
    uniqueIndex("workflow_instances_entry_uq")
      .on(t.workflowId, t.subscriberId, t.entryKey)
      .where(sql`${t.entryKey} is not null`),
  ],
);

/** History: one row per node an instance passed through, for the timeline and per-node counts. */
export const workflowSteps = pgTable(
  "workflow_steps",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    instanceId: uuid("instance_id")
      .notNull()
      .references(() => workflowInstances.id, { onDelete: "cascade" }),
    /** Copied from the instance so per-node counts need no join. */
    workflowId: uuid("workflow_id").notNull(),
    nodeId: text("node_id").notNull(),
    /** Node type: send, wait, condition, split, update, webhook, exit. */
    kind: text("kind").notNull(),
    /** What happened: e.g. `sent`, `waited`, `yes`/`no` branch, `error`. */
    outcome: text("outcome").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [
    index("workflow_steps_instance_idx").on(t.instanceId, t.id),
    index("workflow_steps_node_idx").on(t.workflowId, t.nodeId),
  ],
);

/** Per-node "passed" counters, bumped in the same transaction as each move (stats read one row per node). */
export const workflowNodeCounts = pgTable(
  "workflow_node_counts",
  {
    workflowId: uuid("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    nodeId: text("node_id").notNull(),
    passed: bigint("passed", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.nodeId] })],
);

/**
 * Who matched a `segment_entered` workflow's segment at the last check: entering is matching now
 * and not being here. Kept per workflow so that each compares against its own last look.
 */
export const workflowSegmentMembers = pgTable(
  "workflow_segment_members",
  {
    workflowId: uuid("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.subscriberId] })],
);

export const WEBHOOK_CALL_STATUSES = ["pending", "delivered", "failed"] as const;

/**
 * A webhook node's call, keyed like a send by (instance, node, visit): made once, retried with
 * backoff from the workflows queue (the cron re-queues a pending call whose message was lost).
 */
export const workflowWebhookCalls = pgTable(
  "workflow_webhook_calls",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    instanceId: uuid("instance_id")
      .notNull()
      .references(() => workflowInstances.id, { onDelete: "cascade" }),
    nodeId: text("node_id").notNull(),
    visit: integer("visit").notNull(),
    url: text("url").notNull(),
    secretRef: text("secret_ref"),
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<(typeof WEBHOOK_CALL_STATUSES)[number]>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAt: at("next_at").notNull().defaultNow(),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("workflow_webhook_calls_key_uq").on(t.instanceId, t.nodeId, t.visit),
    index("workflow_webhook_calls_pending_idx").on(t.nextAt).where(sql`${t.status} = 'pending'`),
  ],
);

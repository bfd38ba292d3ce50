import { sql } from "drizzle-orm";
import {
  bigint,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { at, id, timestamps } from "./columns";
import { subscribers } from "./subscribers";

export const WORKFLOW_STATUSES = ["draft", "active", "inactive"] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];
export const workflowStatusEnum = pgEnum("workflow_status", WORKFLOW_STATUSES);

export const WORKFLOW_INSTANCE_STATUSES = ["running", "waiting", "completed", "exited", "failed"] as const;
export type WorkflowInstanceStatus = (typeof WORKFLOW_INSTANCE_STATUSES)[number];
export const workflowInstanceStatusEnum = pgEnum("workflow_instance_status", WORKFLOW_INSTANCE_STATUSES);

/** Automations. The definition lives in versions; instances run the version they started on. */
export const workflows = pgTable("workflows", {
  id: id(),
  name: text("name").notNull(),
  status: workflowStatusEnum("status").notNull().default("draft"),
  currentVersion: integer("current_version").notNull().default(1),
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
    createdAt: timestamps.createdAt,
  },
  (t) => [unique("workflow_versions_workflow_version_uq").on(t.workflowId, t.version)],
);

/** One subscriber's run through a workflow. Timers live in a Durable Object; this row mirrors them. */
export const workflowInstances = pgTable(
  "workflow_instances",
  {
    id: id(),
    workflowId: uuid("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    status: workflowInstanceStatusEnum("status").notNull().default("running"),
    currentNode: text("current_node"),
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
    /** A subscriber is in a workflow at most once at a time; finished runs do not block re-entry. */
    uniqueIndex("workflow_instances_live_uq")
      .on(t.workflowId, t.subscriberId)
      .where(sql`${t.status} in ('running', 'waiting')`),
    index("workflow_instances_workflow_idx").on(t.workflowId, t.status),
    index("workflow_instances_subscriber_idx").on(t.subscriberId),
    index("workflow_instances_wake_idx").on(t.wakeAt).where(sql`${t.status} = 'waiting'`),
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

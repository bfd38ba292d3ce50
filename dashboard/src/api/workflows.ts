/**
 * The typed client for automation (API.md "Automation"): workflows, their versions, actions,
 * per-node stats, runs (instances), and custom events. Types come from the API's zod schemas.
 */
import type { z } from "@hono/zod-openapi";
import type {
  CreateWorkflowSchema,
  EventInput,
  INSTANCE_STATUS_VALUES,
  InstanceListQuerySchema,
  NodeOf,
  NodeType,
  Reentry,
  TriggerType,
  UpdateWorkflow,
  WORKFLOW_STATUS_VALUES,
  Workflow,
  WorkflowEdge,
  WorkflowGoal,
  WorkflowInstanceDetailSchema,
  WorkflowInstanceView,
  WorkflowListQuerySchema,
  WorkflowNode,
  WorkflowNodeStatsSchema,
  WorkflowStats,
  WorkflowStepSchema,
  WorkflowTrigger,
  WorkflowVersionSchema,
} from "../../../workers/contract/workflows";
import { call, type Page, type PageParams } from "./client";
import type { Query } from "./http";

export type WorkflowStatus = (typeof WORKFLOW_STATUS_VALUES)[number];
export type InstanceStatus = (typeof INSTANCE_STATUS_VALUES)[number];
export type WorkflowInstance = WorkflowInstanceView;
export type WorkflowInstanceDetail = z.infer<typeof WorkflowInstanceDetailSchema>;
export type WorkflowStep = z.infer<typeof WorkflowStepSchema>;
export type WorkflowVersion = z.infer<typeof WorkflowVersionSchema>;
export type NodeStats = z.infer<typeof WorkflowNodeStatsSchema>;
export type CreateWorkflow = z.input<typeof CreateWorkflowSchema>;
export type WorkflowFilters = Omit<z.input<typeof WorkflowListQuerySchema>, "limit" | "cursor">;
export type InstanceFilters = Omit<z.input<typeof InstanceListQuerySchema>, "limit" | "cursor">;
export type {
  EventInput,
  NodeOf,
  NodeType,
  Reentry,
  TriggerType,
  UpdateWorkflow,
  Workflow,
  WorkflowEdge,
  WorkflowGoal,
  WorkflowNode,
  WorkflowStats,
  WorkflowTrigger,
};

export const WORKFLOW_STATUSES = [
  "draft",
  "active",
  "paused",
  "inactive",
] as const satisfies readonly WorkflowStatus[];

export const INSTANCE_STATUSES = [
  "running",
  "waiting",
  "completed",
  "converted",
  "exited",
  "failed",
] as const satisfies readonly InstanceStatus[];

const path = (id: string, rest = "") => `/workflows/${encodeURIComponent(id)}${rest}`;
const act = (action: string) => (id: string) => call<Workflow>("POST", path(id, `/${action}`), { body: {} });

/** The typed workflows API. */
export const workflowsApi = {
  list: (filters: WorkflowFilters, page: PageParams) =>
    call<Page<Workflow>>("GET", "/workflows", { query: { ...filters, ...page } satisfies Query }),
  get: (id: string) => call<Workflow>("GET", path(id)),
  create: (body: CreateWorkflow) => call<Workflow>("POST", "/workflows", { body }),
  /** A changed definition makes a new version; running instances keep theirs. */
  update: (id: string, body: UpdateWorkflow) => call<Workflow>("PATCH", path(id), { body }),
  remove: (id: string) => call<void>("DELETE", path(id)),
  /** Immutable definitions, newest first. */
  versions: (id: string, page: PageParams) =>
    call<Page<WorkflowVersion>>("GET", path(id, "/versions"), { query: { ...page } }),
  /** Validates, then starts entries (resumes a paused workflow); a 422 names the nodes. */
  activate: act("activate"),
  /** Holds every instance where it stands. */
  pause: act("pause"),
  /** Stops entries and exits the running instances. */
  deactivate: act("deactivate"),
  stats: (id: string) => call<WorkflowStats>("GET", path(id, "/stats")),
  instances: (id: string, filters: InstanceFilters, page: PageParams) =>
    call<Page<WorkflowInstance>>("GET", path(id, "/instances"), {
      query: { ...filters, ...page } satisfies Query,
    }),
  instance: (id: string, instanceId: string) =>
    call<WorkflowInstanceDetail>("GET", path(id, `/instances/${encodeURIComponent(instanceId)}`)),
  /** A custom event for one subscriber (by email); always 202, unknown addresses ignored. */
  sendEvent: (body: EventInput) => call<{ accepted: true }>("POST", "/events", { body }),
};

import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { IdParamSchema, pageOf } from "../../contract/common";
import {
  CreateWorkflowSchema,
  EventAcceptedSchema,
  EventSchema,
  InstanceListQuerySchema,
  InstanceParamsSchema,
  UpdateWorkflowSchema,
  WorkflowInstanceDetailSchema,
  WorkflowInstanceSchema,
  WorkflowListQuerySchema,
  WorkflowSchema,
  WorkflowStatsSchema,
  WorkflowVersionSchema,
} from "../../contract/workflows";
import { recordEvent } from "../../domain/workflows/events";
import { activateWorkflow, deactivateWorkflow, pauseWorkflow } from "../../domain/workflows/lifecycle";
import { getInstance, listInstances, workflowStats } from "../../domain/workflows/runs";
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listVersions,
  listWorkflows,
  updateWorkflow,
  type WorkflowView,
} from "../../domain/workflows/workflows";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { toJson } from "../../lib/serialize";

export const workflowsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Workflows"];

const view = (w: WorkflowView) => toJson(w);
const invalid =
  "A 422 (`details.code: invalid_workflow`) lists each problem with the node it is on: `details.problems: [{nodeId, path, message}]`.";

workflowsApi.openapi(
  createRoute({
    method: "get",
    path: "/workflows",
    operationId: "listWorkflows",
    tags,
    summary: "List workflows with their status and run counts",
    ...authed("analyst"),
    request: { query: WorkflowListQuerySchema },
    responses: {
      200: jsonResponse(pageOf(WorkflowSchema, "WorkflowPage"), "Workflows"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listWorkflows(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(view) }, 200);
  },
);

workflowsApi.openapi(
  createRoute({
    method: "post",
    path: "/workflows",
    operationId: "createWorkflow",
    tags,
    summary: "Create a workflow (a draft, version 1)",
    description: invalid,
    ...authed("editor"),
    request: { body: jsonBody(CreateWorkflowSchema) },
    responses: { 201: jsonResponse(WorkflowSchema, "Created"), ...errors(400, 401, 403, 422) },
  }),
  async (c) => c.json(view(await createWorkflow(c.var.ctx, c.req.valid("json"))), 201),
);

workflowsApi.openapi(
  createRoute({
    method: "get",
    path: "/workflows/{id}",
    operationId: "getWorkflow",
    tags,
    summary: "Get a workflow: its newest definition and run counts",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(WorkflowSchema, "The workflow"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(view(await getWorkflow(c.var.db, c.req.valid("param").id)), 200),
);

workflowsApi.openapi(
  createRoute({
    method: "patch",
    path: "/workflows/{id}",
    operationId: "updateWorkflow",
    tags,
    summary: "Rename, or publish a new version of the definition (running instances keep theirs)",
    description: `${invalid} A 409 when another change landed first.`,
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(UpdateWorkflowSchema) },
    responses: { 200: jsonResponse(WorkflowSchema, "Updated"), ...errors(400, 401, 403, 404, 409, 422) },
  }),
  async (c) =>
    c.json(view(await updateWorkflow(c.var.ctx, c.req.valid("param").id, c.req.valid("json"))), 200),
);

workflowsApi.openapi(
  createRoute({
    method: "delete",
    path: "/workflows/{id}",
    operationId: "deleteWorkflow",
    tags,
    summary: "Delete a workflow with its versions and runs (its sends stay in the send log)",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await deleteWorkflow(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

workflowsApi.openapi(
  createRoute({
    method: "get",
    path: "/workflows/{id}/versions",
    operationId: "listWorkflowVersions",
    tags,
    summary: "Every published definition, newest first",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: {
      200: jsonResponse(pageOf(WorkflowVersionSchema, "WorkflowVersionPage"), "Versions"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const data = await listVersions(c.var.db, c.req.valid("param").id);
    return c.json({ data: data.map(toJson), nextCursor: null }, 200);
  },
);

const actions = [
  {
    path: "/workflows/{id}/activate",
    operationId: "activateWorkflow",
    summary: "Activate (validated first), or resume a paused workflow",
    description: `${invalid} With \`trigger.existing: true\`, everyone who matches now enters (set-based).`,
    run: activateWorkflow,
  },
  {
    path: "/workflows/{id}/pause",
    operationId: "pauseWorkflow",
    summary: "Pause: every instance holds where it is",
    description: "",
    run: pauseWorkflow,
  },
  {
    path: "/workflows/{id}/deactivate",
    operationId: "deactivateWorkflow",
    summary: "Deactivate: no more entries; running instances exit",
    description: "",
    run: deactivateWorkflow,
  },
] as const;

for (const a of actions) {
  workflowsApi.openapi(
    createRoute({
      method: "post",
      path: a.path,
      operationId: a.operationId,
      tags,
      summary: a.summary,
      description: `${a.description} A 409 names the status it works from.`.trim(),
      ...authed("editor"),
      request: { params: IdParamSchema },
      responses: {
        200: jsonResponse(WorkflowSchema, "The workflow"),
        ...errors(400, 401, 403, 404, 409, 422),
      },
    }),
    async (c) => c.json(view(await a.run(c.var.ctx, c.req.valid("param").id)), 200),
  );
}

workflowsApi.openapi(
  createRoute({
    method: "get",
    path: "/workflows/{id}/stats",
    operationId: "getWorkflowStats",
    tags,
    summary: "Per node: waiting, passed, exited; per send node also sent, opens and clicks",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(WorkflowStatsSchema, "Stats"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(await workflowStats(c.var.db, c.req.valid("param").id), 200),
);

workflowsApi.openapi(
  createRoute({
    method: "get",
    path: "/workflows/{id}/instances",
    operationId: "listWorkflowInstances",
    tags,
    summary: "A workflow's instances (filter by status, node, subscriber)",
    ...authed("analyst"),
    request: { params: IdParamSchema, query: InstanceListQuerySchema },
    responses: {
      200: jsonResponse(pageOf(WorkflowInstanceSchema, "WorkflowInstancePage"), "Instances"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => c.json(await listInstances(c.var.db, c.req.valid("param").id, c.req.valid("query")), 200),
);

workflowsApi.openapi(
  createRoute({
    method: "get",
    path: "/workflows/{id}/instances/{instanceId}",
    operationId: "getWorkflowInstance",
    tags,
    summary: "One instance and the path it took",
    ...authed("analyst"),
    request: { params: InstanceParamsSchema },
    responses: {
      200: jsonResponse(WorkflowInstanceDetailSchema, "The instance"),
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { id, instanceId } = c.req.valid("param");
    return c.json(await getInstance(c.var.db, id, instanceId), 200);
  },
);

workflowsApi.openapi(
  createRoute({
    method: "post",
    path: "/events",
    operationId: "recordEvent",
    tags,
    summary: "Record a custom event for a subscriber: starts and advances workflows (always 202)",
    description: "By email. An unknown address is accepted and ignored: no subscriber is created.",
    ...authed("editor"),
    request: { body: jsonBody(EventSchema) },
    responses: { 202: jsonResponse(EventAcceptedSchema, "Accepted"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    await recordEvent(c.var.ctx, c.req.valid("json"));
    return c.json({ accepted: true as const }, 202);
  },
);

import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

/**
 * One per running workflow instance; its alarm drives wait timers. The binding and class are
 * declared from the start so that deployments never need a breaking Durable Object migration;
 * the workflow engine that drives it is not built yet, so every call says so.
 */
export class WorkflowInstance extends DurableObject<Env> {
  override async fetch(): Promise<Response> {
    return Response.json(
      { error: { code: "not_implemented", message: "Workflow automation is not available in this version" } },
      { status: 501 },
    );
  }
}

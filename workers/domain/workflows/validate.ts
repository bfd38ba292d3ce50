// Interim: replaced by the full validator (graph rules and references) from the h-wfval branch.
import type { WorkflowDefinition } from "../../contract/workflows";
import type { Database } from "../../lib/db";
import { RuleError } from "../../lib/errors";

export async function assertValidWorkflow(
  _db: Database,
  def: WorkflowDefinition,
  opts: { forActivation: boolean },
): Promise<void> {
  if (opts.forActivation && def.nodes.length === 0)
    throw RuleError("A workflow needs at least one node", { code: "invalid_workflow", problems: [] });
}

import { and, eq } from "drizzle-orm";
import { workflowVersions } from "../../../schema/workflows";
import type {
  Reentry,
  WorkflowDefinition,
  WorkflowEdge,
  WorkflowGoal,
  WorkflowNode,
  WorkflowTrigger,
} from "../../contract/workflows";
import type { Database } from "../../lib/db";
import { NotFoundError } from "../../lib/errors";

/** One version of a workflow, ready to walk: nodes by id, the entry node, and each node's exits. */
export interface CompiledVersion {
  workflowId: string;
  version: number;
  trigger: WorkflowTrigger;
  reentry: Reentry;
  goal: WorkflowGoal | null;
  nodes: ReadonlyMap<string, WorkflowNode>;
  /** The node with no incoming edge: where every run starts. */
  entry: string | null;
  /** Where a node leads for a branch (`undefined` branch: the node's only exit); null: the run ends. */
  next(nodeId: string, branch?: string): string | null;
}

export function compileDefinition(
  workflowId: string,
  version: number,
  def: Pick<WorkflowDefinition, "trigger" | "nodes" | "edges"> & {
    reentry?: Reentry;
    goal?: WorkflowGoal | null;
  },
): CompiledVersion {
  const nodes = new Map(def.nodes.map((n) => [n.id, n]));
  const exits = new Map<string, WorkflowEdge[]>();
  const incoming = new Set<string>();
  for (const e of def.edges) {
    exits.set(e.from, [...(exits.get(e.from) ?? []), e]);
    incoming.add(e.to);
  }
  const entry = def.nodes.find((n) => !incoming.has(n.id))?.id ?? null;
  return {
    workflowId,
    version,
    trigger: def.trigger,
    reentry: def.reentry ?? "once",
    goal: def.goal ?? null,
    nodes,
    entry,
    next(nodeId, branch) {
      const out = exits.get(nodeId) ?? [];
      const edge =
        branch === undefined
          ? (out.find((e) => e.branch === undefined) ?? out[0])
          : out.find((e) => e.branch === branch);
      return edge && nodes.has(edge.to) ? edge.to : null;
    },
  };
}

/**
 * Versions never change once written, so each isolate keeps the ones it has read (a bounded map:
 * the oldest entry leaves first).
 */
const cache = new Map<string, CompiledVersion>();
const CACHE_LIMIT = 500;

export async function loadVersion(
  db: Database,
  workflowId: string,
  version: number,
): Promise<CompiledVersion> {
  const key = `${workflowId}:${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const [row] = await db
    .select()
    .from(workflowVersions)
    .where(and(eq(workflowVersions.workflowId, workflowId), eq(workflowVersions.version, version)));
  if (!row) throw NotFoundError(`Version ${version} of workflow ${workflowId}`);
  const compiled = compileDefinition(workflowId, version, {
    trigger: row.trigger as WorkflowTrigger,
    nodes: row.nodes as WorkflowNode[],
    edges: row.edges as WorkflowEdge[],
    reentry: row.reentry as Reentry,
    goal: (row.goal as WorkflowGoal | null) ?? null,
  });
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}

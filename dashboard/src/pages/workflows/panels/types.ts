import type { NodeOf, NodeType } from "../../../api/workflows";
import type { Lookups } from "../lookups";
import type { WorkflowDoc } from "../model";
import type { Editor } from "../use-editor";

/** What each node type's panel gets: its node, a way to change it, and the editor around it. */
export interface PanelProps<T extends NodeType> {
  node: NodeOf<T>;
  /** Merges `patch` into the node (one undo step per input while typing). */
  update: (patch: Partial<NodeOf<T>>) => void;
  doc: WorkflowDoc;
  lookups: Lookups;
  editor: Editor;
}

/** Optional text: empty means "not set" (the key leaves the node). */
export function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : value;
}

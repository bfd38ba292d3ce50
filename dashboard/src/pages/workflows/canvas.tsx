import { useSignal } from "@preact/signals";
import { useCallback, useEffect, useMemo, useRef } from "preact/hooks";
import type { NodeType, WorkflowStats } from "../../api/workflows";
import { entryOf, type InsertPoint } from "./graph-edit";
import { InsertMenu } from "./insert-menu";
import { type FlowNode, layoutFlow } from "./layout";
import { Links, PlusButtons } from "./links";
import type { Lookups } from "./lookups";
import { branchesOf, branchLabel, nodeTitle, type WorkflowDoc } from "./model";
import { NodeCard } from "./node-card";
import type { Placed } from "./problems";
import { nodeSummary, triggerSummary } from "./summary";
import { useViewport } from "./use-viewport";

interface CanvasProps {
  doc: WorkflowDoc;
  placed: Placed;
  stats: WorkflowStats | null;
  lookups: Lookups;
  selected: string | null;
  readOnly: boolean;
  onSelect: (id: string | null) => void;
  onInsert: (at: InsertPoint, type: NodeType) => void;
}

/** The flow drawn top to bottom, laid out automatically, with pan, zoom and a "+" on every edge. */
export function Canvas(props: CanvasProps) {
  const { doc, placed, stats, lookups, selected } = props;
  const frame = useRef<HTMLDivElement>(null);
  const world = useRef<HTMLDivElement>(null);
  const zoomLabel = useRef<HTMLSpanElement>(null);
  const viewport = useViewport(frame, world, zoomLabel, () => props.onSelect(null));
  const menu = useSignal<{ at: InsertPoint; x: number; y: number } | null>(null);
  const layout = useFlowLayout(doc);
  const titles = useMemo(
    () => new Map(doc.nodes.map((node) => [node.id, node.label?.trim() || node.id])),
    [doc.nodes],
  );
  const byNode = useMemo(() => new Map(stats?.nodes.map((entry) => [entry.nodeId, entry])), [stats]);
  const onSelect = useCallback((id: string) => props.onSelect(id), [props.onSelect]);
  const openMenu = useCallback((at: InsertPoint, anchor: HTMLElement) => {
    const box = frame.current?.getBoundingClientRect();
    const spot = anchor.getBoundingClientRect();
    menu.value = { at, x: spot.left - (box?.left ?? 0) + spot.width + 6, y: spot.top - (box?.top ?? 0) };
  }, []);

  useEffect(() => viewport.fit(layout.width, Math.min(layout.height, 900)), []);

  const live = stats !== null;
  const zero = { waiting: 0, passed: 0, exited: 0 };
  return (
    <div class="wf-canvas" ref={frame} data-testid="workflow-canvas">
      <div class="wf-world" ref={world}>
        <Links layout={layout} />
        <NodeCard
          id="trigger"
          type="trigger"
          at={layout.trigger}
          title="Trigger"
          summary={triggerSummary(doc.trigger, lookups)}
          problems={(placed.get("trigger") ?? []).join("\n")}
          counts={stats ? triggerCounts(stats) : undefined}
          selected={selected === "trigger"}
          onSelect={onSelect}
        />
        {doc.nodes.map((node) => (
          <NodeCard
            key={node.id}
            id={node.id}
            type={node.type}
            at={layout.nodes.get(node.id) ?? layout.trigger}
            title={nodeTitle(node)}
            summary={nodeSummary(node, lookups)}
            problems={(placed.get(node.id) ?? []).join("\n")}
            stats={live ? (byNode.get(node.id) ?? { nodeId: node.id, type: node.type, ...zero }) : undefined}
            selected={selected === node.id}
            onSelect={onSelect}
          />
        ))}
        {!props.readOnly && <PlusButtons layout={layout} titles={titles} onInsert={openMenu} />}
      </div>
      <ZoomControls
        label={zoomLabel}
        onZoom={viewport.zoomBy}
        onFit={() => viewport.fit(layout.width, layout.height)}
      />
      {menu.value && (
        <InsertMenu
          at={menu.value.at}
          x={menu.value.x}
          y={menu.value.y}
          onClose={() => (menu.value = null)}
          onPick={(type) => {
            const at = menu.value?.at;
            menu.value = null;
            if (at) props.onInsert(at, type);
          }}
        />
      )}
    </div>
  );
}

/**
 * The layout, recomputed only when the flow's shape changes (nodes, their branches, edges, split
 * weights for the labels): typing a label or a subject reuses it, and so does every render.
 */
function useFlowLayout(doc: WorkflowDoc) {
  const shape = useMemo(
    () =>
      `${doc.nodes.map((node) => `${node.id}:${node.type}:${node.type === "split" ? node.weights.join(",") : ""}`).join("|")}#${doc.edges.map((edge) => `${edge.from}>${edge.to}:${edge.branch ?? ""}`).join("|")}`,
    [doc.nodes, doc.edges],
  );
  return useMemo(() => {
    const nodes: FlowNode[] = doc.nodes.map((node) => ({
      id: node.id,
      branches: branchesOf(node).map((key) => ({ key, label: branchLabel(node, key) })),
    }));
    return layoutFlow(nodes, doc.edges, entryOf(doc));
  }, [shape]);
}

function triggerCounts(stats: WorkflowStats): string {
  const { entered, active, converted } = stats.counts;
  return `${entered.toLocaleString()} entered · ${active.toLocaleString()} active · ${converted.toLocaleString()} converted`;
}

function ZoomControls(props: {
  label: { current: HTMLSpanElement | null };
  onZoom: (factor: number) => void;
  onFit: () => void;
}) {
  return (
    <fieldset class="wf-zoom" aria-label="Zoom">
      <button
        type="button"
        class="button button--small"
        aria-label="Zoom out"
        onClick={() => props.onZoom(1 / 1.2)}
      >
        −
      </button>
      <span class="wf-zoom__level" ref={props.label} data-testid="zoom-level">
        100%
      </span>
      <button
        type="button"
        class="button button--small"
        aria-label="Zoom in"
        onClick={() => props.onZoom(1.2)}
      >
        +
      </button>
      <button type="button" class="button button--small" onClick={props.onFit}>
        Fit
      </button>
    </fieldset>
  );
}

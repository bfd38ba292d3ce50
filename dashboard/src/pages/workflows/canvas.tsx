import { useSignal } from "@preact/signals";
import { useCallback, useEffect, useMemo, useRef } from "preact/hooks";
import type { NodeType, WorkflowStats } from "../../api/workflows";
import { locale } from "../../i18n";
import { Cards } from "./cards";
import { entryOf, type InsertPoint } from "./graph-edit";
import { InsertMenu } from "./insert-menu";
import { type FlowNode, layoutFlow } from "./layout";
import { Links, PlusButtons } from "./links";
import type { Lookups } from "./lookups";
import { branchesOf, branchLabel, type WorkflowDoc } from "./model";
import type { Placed } from "./problems";
import { useViewport } from "./use-viewport";
import { ZoomControls } from "./zoom-controls";

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
  const onSelect = useCallback((id: string) => props.onSelect(id), [props.onSelect]);
  const openMenu = useCallback((at: InsertPoint, anchor: HTMLElement) => {
    const box = frame.current?.getBoundingClientRect();
    if (box) menu.value = { at, ...menuSpot(box, anchor.getBoundingClientRect()) };
  }, []);

  useEffect(() => viewport.fit(layout.width, layout.height, true), []);

  return (
    <div class="wf-canvas" ref={frame} data-testid="workflow-canvas">
      <div class="wf-world" ref={world}>
        <Links layout={layout} />
        <Cards
          doc={doc}
          layout={layout}
          placed={placed}
          stats={stats}
          lookups={lookups}
          selected={selected}
          onSelect={onSelect}
        />
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
    // The branch labels are words: a change of language lays the flow out again.
  }, [shape, locale.value]);
}

const MENU_W = 260;
const MENU_H = 420;

/** Beside the "+", on whichever side has room, inside the frame. */
function menuSpot(frame: DOMRect, plus: DOMRect): { x: number; y: number } {
  const right = plus.right - frame.left + 6;
  const x = right + MENU_W <= frame.width ? right : Math.max(6, plus.left - frame.left - MENU_W - 6);
  const y = Math.max(6, Math.min(plus.top - frame.top, frame.height - MENU_H - 6));
  return { x, y };
}

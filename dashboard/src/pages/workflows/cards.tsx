import { useMemo } from "preact/hooks";
import type { WorkflowStats } from "../../api/workflows";
import { formatNumber } from "../../format";
import { t } from "../../i18n";
import type { Layout } from "./layout";
import type { Lookups } from "./lookups";
import { nodeTitle, type WorkflowDoc } from "./model";
import { NodeCard } from "./node-card";
import type { Placed } from "./problems";
import { nodeSummary, triggerSummary } from "./summary";

interface CardsProps {
  doc: WorkflowDoc;
  layout: Layout;
  placed: Placed;
  stats: WorkflowStats | null;
  lookups: Lookups;
  selected: string | null;
  onSelect: (id: string) => void;
}

/** The trigger's card and every step's, each with its problems and, on a running workflow, its counts. */
export function Cards({ doc, layout, placed, stats, lookups, selected, onSelect }: CardsProps) {
  const byNode = useMemo(() => new Map(stats?.nodes.map((entry) => [entry.nodeId, entry])), [stats]);
  const zero = { waiting: 0, passed: 0, exited: 0 };
  return (
    <>
      <NodeCard
        id="trigger"
        type="trigger"
        at={layout.trigger}
        title={t("workflows.card.trigger")}
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
          // A step added since the counts were read has none yet: zero, not nothing.
          stats={stats ? (byNode.get(node.id) ?? { nodeId: node.id, type: node.type, ...zero }) : undefined}
          selected={selected === node.id}
          onSelect={onSelect}
        />
      ))}
    </>
  );
}

function triggerCounts(stats: WorkflowStats): string {
  return countsLine(stats.counts);
}

/** "12 entered · 3 active · 1 converted". */
export function countsLine(counts: { entered: number; active: number; converted: number }): string {
  return t("workflows.card.counts", {
    entered: formatNumber(counts.entered),
    active: formatNumber(counts.active),
    converted: formatNumber(counts.converted),
  });
}

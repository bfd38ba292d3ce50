import { memo } from "preact/compat";
import type { NodeStats, NodeType } from "../../api/workflows";
import { NODE_H, NODE_W, type Point } from "./layout";
import { TYPE_LABELS } from "./model";

const ICONS: Record<NodeType | "trigger", string> = {
  trigger: "⚡",
  send: "✉",
  wait: "◷",
  wait_event: "◔",
  condition: "◇",
  split: "⋔",
  update: "✎",
  webhook: "⇄",
  exit: "■",
};

export interface CardProps {
  id: string;
  type: NodeType | "trigger";
  at: Point;
  title: string;
  summary: string;
  /** Problems, one per line (a string, so that unchanged cards skip rendering). */
  problems: string;
  /** Counts, on an active or paused workflow. */
  stats?: NodeStats | undefined;
  /** The trigger's counts: entered, active, converted. */
  counts?: string | undefined;
  selected: boolean;
  onSelect: (id: string) => void;
}

/** One step on the canvas: what it is, its settings in a line, its problems and its counts. */
export const NodeCard = memo(function NodeCard(props: CardProps) {
  const { id, type, at, problems } = props;
  const lines = problems ? problems.split("\n") : [];
  const classes = [
    "wf-node",
    `wf-node--${type}`,
    props.selected && "is-selected",
    lines.length > 0 && "is-invalid",
  ];
  return (
    <button
      type="button"
      class={classes.filter(Boolean).join(" ")}
      style={{ left: at.x - NODE_W / 2, top: at.y, width: NODE_W, height: NODE_H }}
      data-node-id={id}
      aria-pressed={props.selected}
      aria-label={`${props.title}${type === "trigger" ? "" : ` (${TYPE_LABELS[type]})`}${lines.length ? `, ${lines.length} problem(s)` : ""}`}
      onClick={() => props.onSelect(id)}
    >
      <span class="wf-node__head">
        <span class="wf-node__icon" aria-hidden="true">
          {ICONS[type]}
        </span>
        <span class="wf-node__title">{props.title}</span>
      </span>
      <span class="wf-node__summary">{props.summary}</span>
      {lines.length > 0 && (
        <span class="wf-node__problem" data-testid="node-problem" title={problems}>
          ⚠ {lines[0]}
          {lines.length > 1 && ` (+${lines.length - 1})`}
        </span>
      )}
      {props.counts && (
        <span class="wf-node__stats" data-testid="node-stats">
          {props.counts}
        </span>
      )}
      {props.stats && <Counts stats={props.stats} />}
    </button>
  );
});

function Counts({ stats }: { stats: NodeStats }) {
  const n = (value: number | undefined) => (value ?? 0).toLocaleString();
  return (
    <>
      <span class="wf-node__stats" data-testid="node-stats">
        <span data-stat="waiting">{n(stats.waiting)}</span> waiting ·{" "}
        <span data-stat="passed">{n(stats.passed)}</span> passed
      </span>
      {stats.sent !== undefined && (
        <span class="wf-node__stats" data-testid="node-send-stats">
          <span data-stat="sent">{n(stats.sent)}</span> sent · <span data-stat="opens">{n(stats.opens)}</span>{" "}
          opens · <span data-stat="clicks">{n(stats.clicks)}</span> clicks
        </span>
      )}
    </>
  );
}

import { memo } from "preact/compat";
import type { NodeStats, NodeType } from "../../api/workflows";
import { formatNumber } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { NODE_H, NODE_W, type Point } from "./layout";
import { typeLabel } from "./model";

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
      aria-label={cardLabel(props.title, type, lines.length)}
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
  const n = (value: number | undefined) => formatNumber(value ?? 0);
  const stat = (name: string) => (text: string) => <span data-stat={name}>{text}</span>;
  return (
    <>
      <span class="wf-node__stats" data-testid="node-stats">
        <Trans
          k="workflows.card.stats"
          values={{ waiting: n(stats.waiting), passed: n(stats.passed) }}
          parts={[stat("waiting"), stat("passed")]}
        />
      </span>
      {stats.sent !== undefined && (
        <span class="wf-node__stats" data-testid="node-send-stats">
          <Trans
            k="workflows.card.sendStats"
            values={{ sent: n(stats.sent), opens: n(stats.opens), clicks: n(stats.clicks) }}
            parts={[stat("sent"), stat("opens"), stat("clicks")]}
          />
        </span>
      )}
    </>
  );
}

/** The card's accessible name: its title, its type, and how many problems it has. */
function cardLabel(title: string, type: NodeType | "trigger", problems: number): string {
  const named = type === "trigger" ? title : t("workflows.card.typed", { title, type: typeLabel(type) });
  return problems ? t("workflows.card.withProblems", { named, count: problems }) : named;
}

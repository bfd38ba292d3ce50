import { memo } from "preact/compat";
import { t } from "../../i18n";
import type { InsertPoint } from "./graph-edit";
import type { LaidLink, Layout } from "./layout";

/**
 * Every edge and empty branch as one SVG, with the branch labels. It depends on the layout alone,
 * so it renders once per change of the flow's shape, not per keystroke or per pan.
 */
export const Links = memo(function Links({ layout }: { layout: Layout }) {
  return (
    <svg class="wf-links" width={layout.width} height={layout.height} aria-hidden="true">
      <defs>
        <marker
          id="wf-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto"
        >
          <path d="M0 0L10 5L0 10z" class="wf-links__arrow" />
        </marker>
      </defs>
      {layout.links.map((link) => (
        <path
          key={link.key}
          d={link.path}
          // i18n-ignore
          class={`wf-link wf-link--${link.kind}`}
          marker-end={link.kind === "empty" ? undefined : "url(#wf-arrow)"}
        />
      ))}
      {layout.links.map(
        (link) =>
          link.label && (
            <text
              key={`${link.key}:label`}
              x={link.label.x}
              y={link.label.y}
              class="wf-link__label"
              text-anchor="middle"
            >
              {link.label.text}
            </text>
          ),
      )}
    </svg>
  );
});

interface PlusProps {
  layout: Layout;
  /** Names a step for the buttons' accessible names ("Send email"). */
  titles: ReadonlyMap<string, string>;
  onInsert: (at: InsertPoint, anchor: HTMLElement) => void;
}

/** A "+" on every edge and empty branch: it opens the menu of steps to insert there. */
export const PlusButtons = memo(function PlusButtons({ layout, titles, onInsert }: PlusProps) {
  return (
    <>
      {layout.links.map((link) => (
        <button
          key={link.key}
          type="button"
          // i18n-ignore
          class={`wf-plus wf-plus--${link.kind}`}
          style={{ left: link.plus.x, top: link.plus.y }}
          aria-label={plusLabel(link, titles)}
          title={plusLabel(link, titles)}
          data-from={link.from ?? "trigger"}
          data-branch={link.branch}
          data-to={link.to}
          onClick={(event) =>
            onInsert(
              { from: link.from, branch: link.branch, to: link.kind === "empty" ? undefined : link.to },
              event.currentTarget,
            )
          }
        >
          +
        </button>
      ))}
    </>
  );
});

function plusLabel(link: LaidLink, titles: ReadonlyMap<string, string>): string {
  const name = link.from === null ? t("workflows.plus.theTrigger") : (titles.get(link.from) ?? link.from);
  const from = link.label ? t("workflows.plus.onBranch", { step: name, branch: link.label.text }) : name;
  if (link.kind === "empty" || !link.to) return t("workflows.plus.after", { from });
  return t("workflows.plus.between", { from, to: titles.get(link.to) ?? link.to });
}

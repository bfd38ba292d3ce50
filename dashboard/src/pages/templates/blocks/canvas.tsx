import type { TargetedDragEvent } from "preact";
import { memo } from "preact/compat";
import { t } from "../../../i18n";
import { typeLabel } from "./labels";
import type { ContentBlock, PaletteType, Row } from "./model";

/** What the canvas asks of the builder; one stable object, so memoized rows never re-render for it. */
export interface CanvasActions {
  select(id: string): void;
  /** A row (by index) or a palette item starts being dragged. */
  dragRow(index: number): void;
  dragNew(type: PaletteType): void;
  /** Drop what is dragged before row `index` (`index` = row count: at the end). */
  dropAt(index: number): void;
  /** Drop a new block at the end of a section's column. */
  dropInColumn(row: number, column: number): void;
  act(id: string, action: "up" | "down" | "duplicate" | "delete"): void;
}

const plain = (html: string) =>
  html
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

const cut = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** A block's content in one line or two: what it says, never its HTML (the canvas renders no markup). */
function Summary({ block }: { block: ContentBlock }) {
  switch (block.type) {
    case "heading":
      return <strong class="bb-summary__heading">{cut(block.text)}</strong>;
    case "text":
      return <span>{cut(plain(block.html)) || t("templates.blocks.summary.emptyText")}</span>;
    case "image":
      return (
        <span>
          {block.alt ? `“${cut(block.alt, 60)}” ` : `${t("templates.blocks.summary.noAlt")} `}
          <span class="muted">{cut(block.src, 80)}</span>
        </span>
      );
    case "button":
      return <span class="bb-summary__button">{cut(block.text, 60)}</span>;
    case "divider":
      return <hr class="bb-summary__divider" />;
    case "spacer":
      return <span class="muted">{t("templates.blocks.summary.space", { height: block.height })}</span>;
    case "social":
      return (
        <span>{block.links.map((l) => l.network).join(", ") || t("templates.blocks.summary.noLinks")}</span>
      );
    case "footer":
      return (
        <span class="muted">
          {cut(block.address, 60)} · {block.unsubscribeText}
          {block.preferencesText ? ` · ${block.preferencesText}` : ""}
        </span>
      );
  }
}

function BlockTools({ id, actions, label }: { id: string; actions: CanvasActions; label: string }) {
  const tool = (action: "up" | "down" | "duplicate" | "delete", text: string) => (
    <button
      type="button"
      class="button button--small"
      aria-label={t(`templates.blocks.tools.${action}Named`, { label })}
      title={t(`templates.blocks.tools.${action}`)}
      onClick={(e) => {
        e.stopPropagation();
        actions.act(id, action);
      }}
    >
      {text}
    </button>
  );
  return (
    <span class="bb-tools">
      {tool("up", "↑")}
      {tool("down", "↓")}
      {tool("duplicate", t("templates.blocks.tools.duplicate"))}
      {tool("delete", t("common.delete"))}
    </span>
  );
}

function BlockCard({
  block,
  selected,
  actions,
  readOnly,
}: {
  block: ContentBlock;
  selected: boolean;
  actions: CanvasActions;
  readOnly: boolean;
}) {
  const label = typeLabel(block.type);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a selectable card holding buttons cannot be a button
    <div
      class={`bb-block${selected ? " bb-block--selected" : ""}`}
      data-block-id={block.id}
      data-block-type={block.type}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={t("templates.blocks.blockNamed", { label })}
      onClick={(e) => {
        e.stopPropagation();
        actions.select(block.id);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter" && e.target === e.currentTarget) actions.select(block.id);
      }}
    >
      <span class="bb-block__type">{label}</span>
      <span class="bb-block__summary">
        <Summary block={block} />
      </span>
      {selected && !readOnly && <BlockTools id={block.id} actions={actions} label={label} />}
    </div>
  );
}

/** Marks where a drop would land (a class on the row, no re-render). */
function markDrop(e: TargetedDragEvent<HTMLElement>): boolean {
  const rect = e.currentTarget.getBoundingClientRect();
  const after = e.clientY > rect.top + rect.height / 2;
  e.currentTarget.classList.toggle("bb-row--drop-before", !after);
  e.currentTarget.classList.toggle("bb-row--drop-after", after);
  return after;
}

function clearDrop(e: TargetedDragEvent<HTMLElement>) {
  e.currentTarget.classList.remove("bb-row--drop-before", "bb-row--drop-after");
}

interface RowProps {
  row: Row;
  index: number;
  /** The selected block's id when it is this row or inside it, else null. */
  selectedId: string | null;
  actions: CanvasActions;
  readOnly: boolean;
}

/** One row of the document: memoized, so a change elsewhere never re-renders it. */
export const RowView = memo(function RowView({ row, index, selectedId, actions, readOnly }: RowProps) {
  return (
    <li
      class="bb-row"
      data-row-id={row.id}
      draggable={!readOnly}
      onDragStart={(e) => {
        e.stopPropagation();
        e.dataTransfer?.setData("text/plain", row.id);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
        actions.dragRow(index);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        markDrop(e);
      }}
      onDragLeave={clearDrop}
      onDrop={(e) => {
        e.preventDefault();
        const after = markDrop(e);
        clearDrop(e);
        actions.dropAt(after ? index + 1 : index);
      }}
    >
      {row.type === "section" ? (
        <SectionCard
          section={row}
          index={index}
          selectedId={selectedId}
          actions={actions}
          readOnly={readOnly}
        />
      ) : (
        <BlockCard block={row} selected={selectedId === row.id} actions={actions} readOnly={readOnly} />
      )}
    </li>
  );
});

function SectionCard({
  section,
  index,
  selectedId,
  actions,
  readOnly,
}: {
  section: Extract<Row, { type: "section" }>;
  index: number;
  selectedId: string | null;
  actions: CanvasActions;
  readOnly: boolean;
}) {
  const selected = selectedId === section.id;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a selectable card holding buttons cannot be a button
    <div
      class={`bb-section${selected ? " bb-block--selected" : ""}`}
      data-block-id={section.id}
      data-block-type="section"
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={t("templates.blocks.columnsBlock", { n: section.columns.length })}
      onClick={() => actions.select(section.id)}
      onKeyDown={(e) => {
        if (e.key === "Enter" && e.target === e.currentTarget) actions.select(section.id);
      }}
    >
      <div class="bb-section__head">
        <span class="bb-block__type">
          {t("templates.blocks.columnCount", { count: section.columns.length })}
        </span>
        {selected && !readOnly && (
          <BlockTools id={section.id} actions={actions} label={typeLabel("section")} />
        )}
      </div>
      <div class="bb-section__columns">
        {section.columns.map((column, c) => (
          <ul
            key={column.id}
            class="bb-column"
            aria-label={t("templates.blocks.column", { n: c + 1 })}
            onDragOver={(e) => {
              e.preventDefault();
              e.stopPropagation();
            }}
            onDrop={(e) => {
              e.preventDefault();
              e.stopPropagation();
              actions.dropInColumn(index, c);
            }}
          >
            {column.blocks.map((block) => (
              <li key={block.id}>
                <BlockCard
                  block={block}
                  selected={selectedId === block.id}
                  actions={actions}
                  readOnly={readOnly}
                />
              </li>
            ))}
            {column.blocks.length === 0 && (
              <li class="muted bb-column__empty">{t("templates.blocks.dropInColumn")}</li>
            )}
          </ul>
        ))}
      </div>
    </div>
  );
}

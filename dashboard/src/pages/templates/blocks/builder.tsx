import { useSignal } from "@preact/signals";
import { useMemo, useRef } from "preact/hooks";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { t } from "../../../i18n";
import { type CanvasActions, RowView } from "./canvas";
import { type History, useHistory } from "./history";
import { typeLabel } from "./labels";
import {
  type BlockDocument,
  type BlockPath,
  blockAt,
  duplicateAt,
  insertRow,
  moveRow,
  newBlock,
  newRow,
  nudge,
  PALETTE,
  type PaletteType,
  removeAt,
  replaceAt,
  updateColumn,
} from "./model";
import { BlockSettings, ThemeSettings } from "./settings-panel";
import "./blocks.css";

export interface BlockBuilderProps {
  doc: BlockDocument;
  onChange: (doc: BlockDocument) => void;
  readOnly: boolean;
  /** After the author confirmed: leave the builder for the code editor with the compiled HTML. */
  onConvert: () => Promise<void>;
  /** Picks an image from the image library (wired by the page); without it, URLs only. */
  onChooseImage?: () => Promise<{ url: string } | null>;
}

/** Where the block with this id is (rows, then sections' columns). */
function pathOf(doc: BlockDocument, id: string | null): BlockPath | null {
  if (!id) return null;
  for (let row = 0; row < doc.rows.length; row++) {
    const r = doc.rows[row];
    if (!r) continue;
    if (r.id === id) return { row };
    if (r.type !== "section") continue;
    for (let column = 0; column < r.columns.length; column++) {
      const index = r.columns[column]?.blocks.findIndex((b) => b.id === id) ?? -1;
      if (index >= 0) return { row, column, index };
    }
  }
  return null;
}

type Dragging = { kind: "row"; index: number } | { kind: "new"; type: PaletteType } | null;

/** The canvas's actions: one object for the builder's life, reading the latest document. */
function useCanvasActions(history: History, selected: { value: string | null }) {
  const dragging = useRef<Dragging>(null);
  return useMemo<CanvasActions>(
    () => ({
      select: (id) => (selected.value = id),
      dragRow: (index) => (dragging.current = { kind: "row", index }),
      dragNew: (type) => (dragging.current = { kind: "new", type }),
      dropAt(index) {
        const d = dragging.current;
        dragging.current = null;
        const doc = history.current();
        if (d?.kind === "row") history.commit(moveRow(doc, d.index, index));
        if (d?.kind === "new") {
          const row = newRow(d.type);
          history.commit(insertRow(doc, index, row));
          selected.value = row.id;
        }
      },
      dropInColumn(row, column) {
        const d = dragging.current;
        dragging.current = null;
        if (d?.kind !== "new" || d.type === "section") return;
        const block = newBlock(d.type);
        history.commit(updateColumn(history.current(), row, column, (blocks) => [...blocks, block]));
        selected.value = block.id;
      },
      act(id, action) {
        const doc = history.current();
        const path = pathOf(doc, id);
        if (!path) return;
        if (action === "delete") {
          history.commit(removeAt(doc, path));
          selected.value = null;
        } else if (action === "duplicate") history.commit(duplicateAt(doc, path));
        else history.commit(nudge(doc, path, action === "up" ? -1 : 1));
      },
    }),
    [],
  );
}

/** Adds a block by click: after the selected block (in its column when it is in one), else at the end. */
function addByClick(history: History, selected: { value: string | null }, type: PaletteType) {
  const doc = history.current();
  const path = pathOf(doc, selected.value);
  if (path && "column" in path && type !== "section") {
    const block = newBlock(type);
    history.commit(
      updateColumn(doc, path.row, path.column, (blocks) => [
        ...blocks.slice(0, path.index + 1),
        block,
        ...blocks.slice(path.index + 1),
      ]),
    );
    selected.value = block.id;
    return;
  }
  const row = newRow(type);
  history.commit(insertRow(doc, path ? path.row + 1 : doc.rows.length, row));
  selected.value = row.id;
}

function Palette({
  onAdd,
  onDrag,
}: {
  onAdd: (type: PaletteType) => void;
  onDrag: (type: PaletteType) => void;
}) {
  return (
    <section class="card bb-palette" aria-label={t("templates.blocks.palette")}>
      <h3>{t("templates.blocks.add")}</h3>
      <p class="muted">{t("templates.blocks.addHint")}</p>
      <ul>
        {PALETTE.map((type) => (
          <li key={type}>
            <button
              type="button"
              class="button bb-palette__item"
              draggable
              data-palette={type}
              onDragStart={(e) => {
                e.dataTransfer?.setData("text/plain", type);
                if (e.dataTransfer) e.dataTransfer.effectAllowed = "copy";
                onDrag(type);
              }}
              onClick={() => onAdd(type)}
            >
              {typeLabel(type)}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo, anywhere in the builder. */
function onUndoKeys(history: History, bump: () => void) {
  return (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    const key = e.key.toLowerCase();
    if (key === "z" && !e.shiftKey) history.undo();
    else if ((key === "z" && e.shiftKey) || key === "y") history.redo();
    else return;
    e.preventDefault();
    bump();
  };
}

/** The block builder: palette, the document's blocks (drag to reorder) and the selected block's settings. */
export function BlockBuilder({ doc, onChange, readOnly, onConvert, onChooseImage }: BlockBuilderProps) {
  const selected = useSignal<string | null>(null);
  const converting = useSignal(false);
  /** Bumped on undo and redo: the rich-text area takes the restored text. */
  const revision = useSignal(0);
  const history = useHistory(doc, onChange);
  const actions = useCanvasActions(history, selected);
  const path = pathOf(doc, selected.value);
  const block = blockAt(doc, path);
  const bump = () => (revision.value += 1);
  const sectionOf = (rowId: string) => (path && doc.rows[path.row]?.id === rowId ? selected.value : null);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: undo and redo keys for the whole builder
    <div class="bb" onKeyDown={onUndoKeys(history, bump)} data-testid="block-builder">
      <div class="bb__toolbar">
        <button
          type="button"
          class="button button--small"
          disabled={readOnly || !history.canUndo()}
          onClick={() => {
            history.undo();
            bump();
          }}
        >
          {t("templates.blocks.undo")}
        </button>
        <button
          type="button"
          class="button button--small"
          disabled={readOnly || !history.canRedo()}
          onClick={() => {
            history.redo();
            bump();
          }}
        >
          {t("templates.blocks.redo")}
        </button>
        <span class="muted">{t("templates.blocks.rows", { count: doc.rows.length })}</span>
        {!readOnly && (
          <button
            type="button"
            class="button button--small bb__convert"
            onClick={() => (converting.value = true)}
          >
            {t("templates.blocks.convert")}
          </button>
        )}
      </div>
      <div class="bb__main">
        {!readOnly && (
          <Palette onAdd={(type) => addByClick(history, selected, type)} onDrag={actions.dragNew} />
        )}
        <ol
          class="bb-canvas"
          aria-label={t("templates.blocks.canvas")}
          onClick={() => (selected.value = null)}
          onKeyDown={() => undefined}
        >
          {doc.rows.map((row, index) => (
            <RowView
              key={row.id}
              row={row}
              index={index}
              selectedId={
                row.type === "section" ? sectionOf(row.id) : selected.value === row.id ? row.id : null
              }
              actions={actions}
              readOnly={readOnly}
            />
          ))}
          <li
            class="bb-canvas__end muted"
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              actions.dropAt(doc.rows.length);
            }}
          >
            {doc.rows.length === 0 ? t("templates.blocks.emptyCanvas") : t("templates.blocks.dropAtEnd")}
          </li>
        </ol>
        <div class="bb__side">
          {block && path ? (
            <BlockSettings
              key={block.id}
              block={block}
              readOnly={readOnly}
              revision={revision.value}
              onChooseImage={onChooseImage}
              onChange={(next, key) => history.commit(replaceAt(history.current(), path, next), key)}
            />
          ) : (
            <ThemeSettings
              theme={doc.theme}
              readOnly={readOnly}
              onChange={(theme, key) => history.commit({ ...history.current(), theme }, key)}
            />
          )}
        </div>
      </div>
      {converting.value && (
        <ConfirmDialog
          title={t("templates.blocks.convertTitle")}
          confirmLabel={t("templates.blocks.convert")}
          onClose={() => (converting.value = false)}
          onConfirm={onConvert}
        >
          <p>{t("templates.blocks.convertBody")}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

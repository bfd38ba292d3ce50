import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import type { NodeType } from "../../api/workflows";
import { t } from "../../i18n";
import type { InsertPoint } from "./graph-edit";
import { NODE_TYPES, typeHint, typeLabel } from "./model";

interface InsertMenuProps {
  at: InsertPoint;
  /** Where to show it, in the canvas frame's coordinates. */
  x: number;
  y: number;
  onPick: (type: NodeType) => void;
  onClose: () => void;
}

/** The step types to insert at a "+"; closes on Escape or a click elsewhere. */
export function InsertMenu({ at, x, y, onPick, onClose }: InsertMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  // Exit ends the run: in front of another step it would cut that step off.
  const types = NODE_TYPES.filter((type) => type !== "exit" || at.to === undefined);

  // The menu's height depends on the language (German hints wrap to more lines): once drawn, move
  // it up until it fits inside the frame, so no item is cut off by the frame's edge.
  useLayoutEffect(() => {
    const menu = ref.current;
    const frame = menu?.offsetParent;
    if (!menu || !(frame instanceof HTMLElement)) return;
    const room = frame.clientHeight - 6;
    if (y + menu.offsetHeight > room) menu.style.top = `${Math.max(6, room - menu.offsetHeight)}px`;
  }, [y]);

  useEffect(() => {
    ref.current?.querySelector("button")?.focus();
    const outside = (event: PointerEvent) => {
      if (event.target instanceof Node && !ref.current?.contains(event.target)) onClose();
    };
    const onEscape = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    document.addEventListener("pointerdown", outside, true);
    document.addEventListener("keydown", onEscape);
    return () => {
      document.removeEventListener("pointerdown", outside, true);
      document.removeEventListener("keydown", onEscape);
    };
  }, []);

  return (
    <div
      ref={ref}
      class="wf-insert card"
      role="menu"
      aria-label={t("workflows.plus.menu")}
      style={{ left: x, top: y }}
    >
      {types.map((type) => (
        <button key={type} type="button" role="menuitem" class="wf-insert__item" onClick={() => onPick(type)}>
          <strong>{typeLabel(type)}</strong>
          <span class="muted">{typeHint(type)}</span>
        </button>
      ))}
    </div>
  );
}

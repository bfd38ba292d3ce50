import type { RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { formatPercent } from "../../format";

const MIN = 0.2;
const MAX = 2;

export interface Viewport {
  zoomBy: (factor: number) => void;
  /**
   * Fits a `width` x `height` drawing in the view (never above 100%), top-centred; with `readable`
   * it fits the width only and stays at 60% or more (the first view of a long flow: readable
   * cards, the rest a scroll away).
   */
  fit: (width: number, height: number, readable?: boolean) => void;
}

interface View {
  x: number;
  y: number;
  k: number;
}

/**
 * Pan (drag the background, or the wheel) and zoom (buttons, or Ctrl/Cmd and the wheel) by
 * writing the world layer's transform straight to the DOM: no Preact render per frame, so a
 * 200-node flow pans as smoothly as an empty one. `label` shows the zoom as a percentage.
 */
export function useViewport(
  frame: RefObject<HTMLDivElement | null>,
  world: RefObject<HTMLDivElement | null>,
  label: RefObject<HTMLElement | null>,
  /** A click on the background (a press and release without dragging). */
  onBackground: () => void,
): Viewport {
  const view = useRef<View>({ x: 0, y: 0, k: 1 });
  const background = useRef(onBackground);
  background.current = onBackground;
  const apply = () => {
    const { x, y, k } = view.current;
    if (world.current) world.current.style.transform = `translate(${x}px, ${y}px) scale(${k})`;
    if (label.current) label.current.textContent = formatPercent(k, 0);
  };
  const zoomAt = (factor: number, cx: number, cy: number) => {
    const { x, y, k } = view.current;
    const next = Math.min(MAX, Math.max(MIN, k * factor));
    // Keep the point under the cursor (or the centre) where it is.
    view.current = { k: next, x: cx - ((cx - x) * next) / k, y: cy - ((cy - y) * next) / k };
    apply();
  };

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      if (event.ctrlKey || event.metaKey) {
        const box = element.getBoundingClientRect();
        zoomAt(Math.exp(-event.deltaY * 0.002), event.clientX - box.left, event.clientY - box.top);
        return;
      }
      view.current = { ...view.current, x: view.current.x - event.deltaX, y: view.current.y - event.deltaY };
      apply();
    };
    // Focus (a click on a card at the edge, or Tab) scrolls the clipped frame to show the card;
    // turn that scroll into a pan, so the transform stays the one place the view is kept.
    const onScroll = () => {
      const { scrollLeft, scrollTop } = element;
      if (scrollLeft === 0 && scrollTop === 0) return;
      element.scrollLeft = 0;
      element.scrollTop = 0;
      view.current = { ...view.current, x: view.current.x - scrollLeft, y: view.current.y - scrollTop };
      apply();
    };
    const stopDrag = bindDrag(element, view, apply, () => background.current());
    element.addEventListener("wheel", onWheel, { passive: false });
    element.addEventListener("scroll", onScroll);
    return () => {
      element.removeEventListener("wheel", onWheel);
      element.removeEventListener("scroll", onScroll);
      stopDrag();
    };
  }, []);

  return {
    zoomBy: (factor) => {
      const box = frame.current?.getBoundingClientRect();
      zoomAt(factor, (box?.width ?? 0) / 2, (box?.height ?? 0) / 2);
    },
    fit: (width, height, readable) => {
      const box = frame.current?.getBoundingClientRect();
      if (!box) return;
      const across = (box.width - 48) / width;
      const scale = readable ? Math.max(0.6, across) : Math.min(across, (box.height - 48) / height);
      const k = Math.min(1, Math.max(MIN, scale));
      view.current = { k, x: (box.width - width * k) / 2, y: 24 };
      apply();
    },
  };
}

/**
 * Dragging the background (not a node, a "+" or a control) pans; pressing and releasing it
 * without a drag is a click on it. Returns the unbinding.
 */
function bindDrag(
  element: HTMLElement,
  view: { current: View },
  apply: () => void,
  click: () => void,
): () => void {
  let start: { px: number; py: number; x: number; y: number; id: number } | null = null;
  let dragged = false;
  const down = (event: PointerEvent) => {
    if (event.button !== 0) return;
    if (
      event.target instanceof Element &&
      event.target.closest("button, a, input, select, .wf-insert, .wf-zoom")
    )
      return;
    start = {
      px: event.clientX,
      py: event.clientY,
      x: view.current.x,
      y: view.current.y,
      id: event.pointerId,
    };
    element.setPointerCapture(event.pointerId);
    element.classList.add("is-panning");
    dragged = false;
  };
  const move = (event: PointerEvent) => {
    if (!start || event.pointerId !== start.id) return;
    if (Math.abs(event.clientX - start.px) + Math.abs(event.clientY - start.py) > 3)
      element.dataset.dragged = "1";
    view.current = {
      ...view.current,
      x: start.x + event.clientX - start.px,
      y: start.y + event.clientY - start.py,
    };
    apply();
  };
  const up = (event: PointerEvent) => {
    if (!start || event.pointerId !== start.id) return;
    start = null;
    element.releasePointerCapture(event.pointerId);
    element.classList.remove("is-panning");
    if (!dragged && event.type === "pointerup") click();
  };
  element.addEventListener("pointerdown", down);
  element.addEventListener("pointermove", move);
  element.addEventListener("pointerup", up);
  element.addEventListener("pointercancel", up);
  return () => {
    element.removeEventListener("pointerdown", down);
    element.removeEventListener("pointermove", move);
    element.removeEventListener("pointerup", up);
    element.removeEventListener("pointercancel", up);
  };
}

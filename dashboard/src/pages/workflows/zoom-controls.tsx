/** Zoom out, the zoom level (written by the viewport, not rendered), zoom in, and fit the flow. */
export function ZoomControls(props: {
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

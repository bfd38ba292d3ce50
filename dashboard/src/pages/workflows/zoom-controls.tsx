import { formatPercent } from "../../format";
import { t } from "../../i18n";

/** Zoom out, the zoom level (written by the viewport, not rendered), zoom in, and fit the flow. */
export function ZoomControls(props: {
  label: { current: HTMLSpanElement | null };
  onZoom: (factor: number) => void;
  onFit: () => void;
}) {
  return (
    <fieldset class="wf-zoom" aria-label={t("workflows.zoom.label")}>
      <button
        type="button"
        class="button button--small"
        aria-label={t("workflows.zoom.out")}
        onClick={() => props.onZoom(1 / 1.2)}
      >
        −
      </button>
      <span class="wf-zoom__level" ref={props.label} data-testid="zoom-level">
        {formatPercent(1, 0)}
      </span>
      <button
        type="button"
        class="button button--small"
        aria-label={t("workflows.zoom.in")}
        onClick={() => props.onZoom(1.2)}
      >
        +
      </button>
      <button type="button" class="button button--small" onClick={props.onFit}>
        {t("workflows.zoom.fit")}
      </button>
    </fieldset>
  );
}

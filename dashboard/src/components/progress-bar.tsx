import { formatNumber, formatPercent } from "../format";
import { t } from "../i18n";

interface ProgressBarProps {
  /** Accessible name, e.g. "Sending progress". */
  label: string;
  value: number;
  max: number;
  /** Unknown progress (preparing): the bar moves without a value. */
  indeterminate?: boolean;
  /** The text beside the bar; defaults to "value of max (percent)". */
  text?: string;
  class?: string;
}

/** A labelled progress bar on the native <progress>, with the numbers beside it. */
export function ProgressBar({ label, value, max, indeterminate, text, class: extra }: ProgressBarProps) {
  const safeMax = max > 0 ? max : 1;
  const shown = Math.min(Math.max(value, 0), safeMax);
  const percent = max > 0 ? Math.floor((shown / safeMax) * 100) : 0;
  return (
    // i18n-ignore: class names
    <div class={extra ? `progress-bar ${extra}` : "progress-bar"}>
      {indeterminate ? (
        <progress class="progress" aria-label={label} />
      ) : (
        <progress class="progress" aria-label={label} max={safeMax} value={shown} />
      )}
      <span class="progress-bar__text muted">
        {text ??
          t("components.progress.of", {
            value: formatNumber(value),
            max: formatNumber(max),
            percent: formatPercent(percent / 100, 0),
          })}
      </span>
    </div>
  );
}

import { formatPercent } from "../../format";
import "./charts.css";

interface ShareBarProps {
  /** A fraction from 0 to 1. */
  value: number;
  /** The text beside the bar (the same figure in words); default the value as a percentage. */
  text?: string;
  tone?: "blue" | "green" | "orange" | "red" | "gray";
}

/** A small horizontal bar for a share or a rate inside a table cell, with the figure as text. */
export function ShareBar({ value, text, tone = "blue" }: ShareBarProps) {
  const share = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
  return (
    <span class="share-bar">
      <span class="share-bar__track" aria-hidden="true">
        {/* i18n-ignore: class names */}
        <span class={`share-bar__fill chart--${tone}`} style={{ width: `${share * 100}%` }} />
      </span>
      <span class="share-bar__text">{text ?? formatPercent(share)}</span>
    </span>
  );
}

interface SplitBarProps {
  /** Accessible description of the whole bar, e.g. "3 human opens, 1 machine open". */
  label: string;
  parts: { key: string; value: number; tone: ShareBarProps["tone"] }[];
}

/** One bar split into parts by their size (people against machines, hard against soft). */
export function SplitBar({ label, parts }: SplitBarProps) {
  const total = parts.reduce((sum, p) => sum + Math.max(0, p.value), 0);
  return (
    <span class="split-bar" role="img" aria-label={label}>
      {total > 0 &&
        parts.map((p) => (
          <span
            key={p.key}
            // i18n-ignore: class names
            class={`split-bar__part chart--${p.tone ?? "blue"}`}
            style={{ width: `${(Math.max(0, p.value) / total) * 100}%` }}
          />
        ))}
    </span>
  );
}

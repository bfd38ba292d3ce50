import { diffLines, diffWordsWithSpace } from "diff";
import "./version-diff.css";
import { formatNumber } from "../format";
import { t } from "../i18n";

/** Unchanged lines kept around each change; longer runs of sameness fold into one row. */
const CONTEXT = 3;

type Kind = "added" | "removed" | "same";

interface Line {
  kind: Kind;
  text: string;
  /** Line numbers on the left (before) and right (after) side; null where the line is not on that side. */
  before: number | null;
  after: number | null;
}

type Row = Line | { kind: "fold"; count: number };

interface VersionDiffProps {
  /** Accessible name of the table, e.g. "HTML changes from version 1 to version 2". */
  label: string;
  before: string;
  after: string;
  beforeLabel: string;
  afterLabel: string;
}

/**
 * A line diff of two texts as a table: each line marked "+" added or "−" removed (in words for
 * screen readers, and with <ins>/<del>), line numbers of both sides, long unchanged runs folded.
 */
export function VersionDiff({ label, before, after, beforeLabel, afterLabel }: VersionDiffProps) {
  const lines = toLines(before, after);
  const added = lines.filter((line) => line.kind === "added").length;
  const removed = lines.filter((line) => line.kind === "removed").length;
  if (added === 0 && removed === 0) return <p class="muted">{t("components.diff.none")}</p>;
  return (
    <div class="version-diff">
      <p class="muted version-diff__summary">
        {t("components.diff.summary", {
          count: added,
          removed: formatNumber(removed),
          added: formatNumber(added),
        })}
      </p>
      <div class="table-wrap table-wrap--flat">
        <table class="version-diff__table" aria-label={label}>
          <thead>
            <tr>
              <th scope="col">{beforeLabel}</th>
              <th scope="col">{afterLabel}</th>
              <th scope="col">{t("components.diff.change")}</th>
              <th scope="col">{t("components.diff.line")}</th>
            </tr>
          </thead>
          <tbody>{fold(lines).map(renderRow)}</tbody>
        </table>
      </div>
    </div>
  );
}

function renderRow(row: Row, index: number) {
  if (row.kind === "fold") {
    return (
      <tr key={`fold-${index}`} class="version-diff__fold">
        <td colSpan={4}>{t("components.diff.folded", { count: row.count, n: formatNumber(row.count) })}</td>
      </tr>
    );
  }
  const text = row.text === "" ? " " : row.text;
  return (
    <tr key={`${row.kind}-${row.before}-${row.after}`} class={`version-diff__${row.kind}`}>
      <td class="version-diff__number">{row.before ?? ""}</td>
      <td class="version-diff__number">{row.after ?? ""}</td>
      <td class="version-diff__mark">
        <span aria-hidden="true">{row.kind === "added" ? "+" : row.kind === "removed" ? "−" : ""}</span>
        <span class="visually-hidden">{t(`components.diff.kind.${row.kind}`)}</span>
      </td>
      <td class="version-diff__text">
        {row.kind === "added" ? <ins>{text}</ins> : row.kind === "removed" ? <del>{text}</del> : text}
      </td>
    </tr>
  );
}

/** Every line of both texts in diff order, with its line number on each side it is on. */
export function toLines(before: string, after: string): Line[] {
  const out: Line[] = [];
  let left = 1;
  let right = 1;
  for (const change of diffLines(before, after)) {
    const texts = change.value.replace(/\n$/, "").split("\n");
    for (const text of texts) {
      if (change.added) out.push({ kind: "added", text, before: null, after: right++ });
      else if (change.removed) out.push({ kind: "removed", text, before: left++, after: null });
      else out.push({ kind: "same", text, before: left++, after: right++ });
    }
  }
  return out;
}

/** Keeps CONTEXT unchanged lines on each side of a change and folds the rest. */
function fold(lines: Line[]): Row[] {
  const near = lines.map((_, index) =>
    lines.slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1).some((line) => line.kind !== "same"),
  );
  const rows: Row[] = [];
  let hidden = 0;
  lines.forEach((line, index) => {
    if (near[index]) {
      if (hidden > 0) rows.push({ kind: "fold", count: hidden });
      hidden = 0;
      rows.push(line);
    } else hidden++;
  });
  if (hidden > 0) rows.push({ kind: "fold", count: hidden });
  return rows;
}

/** A one-line text (a subject) with removed and added words marked inline. */
export function InlineDiff({ before, after }: { before: string; after: string }) {
  if (before === after) return <span>{after}</span>;
  return (
    <span class="inline-diff">
      {diffWordsWithSpace(before, after).map((part, index) =>
        part.added ? (
          <ins key={index}>
            <span class="visually-hidden">{t("components.diff.addedInline")} </span>
            {part.value}
          </ins>
        ) : part.removed ? (
          <del key={index}>
            <span class="visually-hidden">{t("components.diff.removedInline")} </span>
            {part.value}
          </del>
        ) : (
          <span key={index}>{part.value}</span>
        ),
      )}
    </span>
  );
}

import type { AuditLog } from "../../api/client";
import { t } from "../../i18n";

type Change = "added" | "removed" | "changed" | "same";

interface DiffRow {
  key: string;
  before: unknown;
  after: unknown;
  change: Change;
}

/** An entry's before/after as a key-by-key table: what was added, removed or changed. */
export function AuditDiff({ entry }: { entry: AuditLog }) {
  const rows = entry.diff ? diffRows(entry.diff.before, entry.diff.after) : [];
  return (
    <div class="audit-detail" data-testid="audit-diff">
      {rows.length === 0 ? (
        <p class="muted">{t("auditLog.noDiff")}</p>
      ) : (
        <table class="diff" aria-label={t("auditLog.changesOf", { action: entry.action })}>
          <thead>
            <tr>
              <th scope="col">{t("auditLog.field")}</th>
              <th scope="col">{t("auditLog.before")}</th>
              <th scope="col">{t("auditLog.after")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} class={`diff--${row.change}`}>
                <th scope="row">
                  <code>{row.key}</code>
                </th>
                <td class="diff__before">{show(row.before)}</td>
                <td class="diff__after">{show(row.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl class="audit-detail__meta">
        <dt>{t("auditLog.requestId")}</dt>
        <dd>{entry.requestId ?? "—"}</dd>
        <dt>{t("auditLog.userAgent")}</dt>
        <dd>{entry.userAgent ?? "—"}</dd>
      </dl>
    </div>
  );
}

function show(value: unknown) {
  if (value === undefined) return <span class="muted">—</span>;
  return <pre>{JSON.stringify(value, null, 2)}</pre>;
}

/** One row per top-level key of either side; non-object values compare as a whole. */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  if (before === undefined && after === undefined) return [];
  if (!isRecord(before) && !isRecord(after)) return [row(t("auditLog.value"), before, after)];
  const left = isRecord(before) ? before : {};
  const right = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return keys.map((key) => row(key, left[key], right[key]));
}

function row(key: string, before: unknown, after: unknown): DiffRow {
  const change: Change =
    before === undefined
      ? "added"
      : after === undefined
        ? "removed"
        : JSON.stringify(before) === JSON.stringify(after)
          ? "same"
          : "changed";
  return { key, before, after, change };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

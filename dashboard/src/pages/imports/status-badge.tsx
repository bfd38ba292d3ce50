import type { ImportStatus } from "../../api/segments-imports";
import { t } from "../../i18n";

const TONES: Record<ImportStatus, string> = {
  queued: "badge badge--muted",
  running: "badge badge--admin",
  done: "badge badge--ok",
  failed: "badge badge--failed",
};

/** An import's status, coloured by how it is going. */
export function StatusBadge({ status }: { status: ImportStatus }) {
  return (
    <span class={TONES[status]} data-testid="import-status">
      {t(`imports.status.${status}`)}
    </span>
  );
}

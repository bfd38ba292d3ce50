import { useSignal } from "@preact/signals";
import { formatDateTime } from "../format";
import type { StoredDraft } from "../hooks/use-local-draft";
import { ConfirmDialog } from "./confirm-dialog";

interface DraftNoticeProps {
  draft: StoredDraft<unknown>;
  /** "template", "campaign": how the notice names the record. */
  noun: string;
  /** The server copy's updatedAt now; null for a record not created yet. */
  serverBase: string | null;
  /** Throws the restored changes away (after the author confirms). */
  onDiscard: () => void;
}

/**
 * "Unsaved changes restored", shown above a form that reopened with a local draft, with a way to
 * throw it away. When the record was saved again after the draft was made (another tab, a
 * colleague), it says so: saving would replace that newer copy.
 */
export function DraftNotice({ draft, noun, serverBase, onDiscard }: DraftNoticeProps) {
  const confirming = useSignal(false);
  const stale = draft.base !== null && serverBase !== null && draft.base !== serverBase;
  return (
    <div
      class={stale ? "banner banner--warning" : "banner banner--info"}
      role="status"
      data-testid="draft-notice"
    >
      <div>
        <strong>Unsaved changes restored</strong> from {formatDateTime(draft.keptAt)}.{" "}
        {stale ? (
          <span data-testid="draft-stale">
            This {noun} was saved again at {formatDateTime(serverBase)}, after these changes were made: saving
            them replaces that newer copy.
          </span>
        ) : (
          "Save to keep them."
        )}
      </div>
      <button type="button" class="button button--small" onClick={() => (confirming.value = true)}>
        Discard changes
      </button>
      {confirming.value && (
        <ConfirmDialog
          title="Discard the restored changes?"
          confirmLabel="Discard changes"
          onClose={() => (confirming.value = false)}
          onConfirm={async () => onDiscard()}
        >
          <p>
            {serverBase === null
              ? `The form starts again as a new ${noun}.`
              : `The form goes back to the ${noun} as it was last saved.`}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

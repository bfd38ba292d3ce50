import { useSignal } from "@preact/signals";
import { formatDateTime } from "../format";
import type { StoredDraft } from "../hooks/use-local-draft";
import { t } from "../i18n";
import { Trans } from "../i18n/trans";
import { ConfirmDialog } from "./confirm-dialog";

/** The records a draft is kept for; each has its own sentences (word order and gender differ). */
const NOUNS = ["template", "campaign", "workflow"];

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
  const kind = NOUNS.includes(noun) ? noun : "item";
  return (
    <div
      class={stale ? "banner banner--warning" : "banner banner--info"}
      role="status"
      data-testid="draft-notice"
    >
      <div>
        <Trans
          k="components.draft.restored"
          values={{ date: formatDateTime(draft.keptAt) }}
          parts={[(text) => <strong>{text}</strong>]}
        />{" "}
        {stale ? (
          <span data-testid="draft-stale">
            {t(`components.draft.stale.${kind}`, { date: formatDateTime(serverBase) })}
          </span>
        ) : (
          t("components.draft.saveToKeep")
        )}
      </div>
      <button type="button" class="button button--small" onClick={() => (confirming.value = true)}>
        {t("common.discardChanges")}
      </button>
      {confirming.value && (
        <ConfirmDialog
          title={t("components.draft.discardTitle")}
          confirmLabel={t("common.discardChanges")}
          onClose={() => (confirming.value = false)}
          onConfirm={async () => onDiscard()}
        >
          <p>
            {serverBase === null
              ? t(`components.draft.startsNew.${kind}`)
              : t(`components.draft.goesBack.${kind}`)}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

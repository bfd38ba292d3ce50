import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { Dialog } from "./dialog";
import { ErrorBanner } from "./error-banner";

interface ConfirmDialogProps {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  /** The destructive action; the dialog stays open and shows the error if it fails. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Asks before anything destructive happens; mount it only while open. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const busy = useSignal(false);
  const error = useSignal<unknown>(null);

  const confirm = async () => {
    busy.value = true;
    error.value = null;
    try {
      await onConfirm();
      onClose();
    } catch (caught) {
      error.value = caught;
      busy.value = false;
    }
  };

  return (
    <Dialog title={title} onClose={onClose}>
      <div class="dialog__body">{children}</div>
      <ErrorBanner error={error.value} />
      <div class="dialog__actions">
        <button type="button" class="button" onClick={onClose} disabled={busy.value} autofocus>
          {t("common.cancel")}
        </button>
        <button type="button" class="button button--danger" onClick={confirm} disabled={busy.value}>
          {busy.value ? t("components.confirm.working") : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

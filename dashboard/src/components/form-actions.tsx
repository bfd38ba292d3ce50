import type { Signal } from "@preact/signals";
import { t } from "../i18n";
import { ErrorBanner } from "./error-banner";

/** What the row reads of a form's state (`useForm` gives both). */
interface FormState {
  busy: Signal<boolean>;
  /** The failure no field could show; left out where the form shows it elsewhere. */
  failure?: Signal<unknown>;
}

interface FormActionsProps {
  form: FormState;
  onCancel: () => void;
  /** The submit button's text, and its text while the request is on its way ("Saving…"). */
  submitLabel: string;
  busyLabel: string;
  /** "Cancel" unless given: a dialog that changes nothing says "Close". */
  cancelLabel?: string;
  /** In a dialog the row is `dialog__actions`, on a card `form__actions`. */
  dialog?: boolean;
  /** In a `form--grid` form the banner and the row span every column. */
  grid?: boolean;
}

/** The end of a form: the server's unplaced error, then Cancel and a submit that says it is busy. */
export function FormActions({ form, grid, ...props }: FormActionsProps) {
  const busy = form.busy.value;
  const banner = <ErrorBanner error={form.failure?.value} />;
  const row = [props.dialog ? "dialog__actions" : "form__actions", grid && "form__full"].filter(Boolean);
  return (
    <>
      {grid ? <div class="form__full">{banner}</div> : banner}
      <div class={row.join(" ")}>
        <button type="button" class="button" onClick={props.onCancel}>
          {props.cancelLabel ?? t("common.cancel")}
        </button>
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? props.busyLabel : props.submitLabel}
        </button>
      </div>
    </>
  );
}

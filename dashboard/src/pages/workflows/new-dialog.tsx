import { useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { Dialog } from "../../components/dialog";
import { t } from "../../i18n";
import { starters } from "./starters";

/** "New workflow": a blank canvas or one of the starting points; the editor opens on it unsaved. */
export function NewWorkflowDialog({ onClose }: { onClose: () => void }) {
  const { route } = useLocation();
  const choice = useSignal("blank");
  return (
    <Dialog title={t("workflows.list.new")} onClose={onClose} wide>
      <form
        class="form"
        aria-label={t("workflows.list.new")}
        onSubmit={(event) => {
          event.preventDefault();
          route(`/workflows/new?start=${encodeURIComponent(choice.value)}`);
        }}
      >
        <fieldset class="wf-starters">
          <legend class="visually-hidden">{t("workflows.newDialog.startFrom")}</legend>
          {starters().map((starter) => (
            <label
              key={starter.key}
              class={choice.value === starter.key ? "wf-starter is-chosen" : "wf-starter"}
            >
              <input
                type="radio"
                name="starter"
                value={starter.key}
                checked={choice.value === starter.key}
                onChange={() => (choice.value = starter.key)}
              />
              <span>
                <strong>{starter.name}</strong>
                <span class="muted">{starter.description}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div class="dialog__actions">
          <button type="button" class="button" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="button button--primary">
            {t("workflows.newDialog.continue")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

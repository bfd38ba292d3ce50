import { useSignal } from "@preact/signals";
import { audience, type SubscriberFilters } from "../../api/audience";
import { describeError } from "../../api/errors";
import { useToast } from "../../components/toast";
import { saveFile } from "../../download";
import { t } from "../../i18n";

/**
 * Downloads every subscriber of the current filter and sort as CSV. Editors and above only (the
 * API refuses analysts: the file is personal data), so the page shows it only to them.
 */
export function ExportButton({ filters }: { filters: SubscriberFilters }) {
  const busy = useSignal(false);
  const notify = useToast();
  const download = async () => {
    busy.value = true;
    try {
      const blob = await audience.subscribers.exportCsv(filters);
      // i18n-ignore: a file name
      saveFile(blob, `subscribers-${new Date().toISOString().slice(0, 10)}.csv`);
      notify(t("subscribers.export.done"));
    } catch (caught) {
      notify(t("subscribers.export.failed", { message: describeError(caught) }), "error");
    } finally {
      busy.value = false;
    }
  };
  return (
    <button type="button" class="button" onClick={download} disabled={busy.value}>
      {busy.value ? t("subscribers.export.busy") : t("subscribers.export.csv")}
    </button>
  );
}

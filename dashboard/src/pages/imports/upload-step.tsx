import { useSignal } from "@preact/signals";
import type { TargetedDragEvent, TargetedEvent } from "preact";
import { ErrorBanner } from "../../components/error-banner";
import { formatNumber } from "../../format";
import { t } from "../../i18n";
import { PREVIEW_BYTES } from "./csv-preview";

interface UploadStepProps {
  onFile: (file: File) => Promise<void>;
}

/** Step 1: pick a CSV by file input or drag and drop. Only its first bytes are read here. */
export function UploadStep({ onFile }: UploadStepProps) {
  const dragging = useSignal(false);
  const reading = useSignal(false);
  const failure = useSignal<unknown>(null);

  const take = async (file: File | undefined) => {
    if (!file) return;
    failure.value = null;
    reading.value = true;
    try {
      await onFile(file);
    } catch (caught) {
      failure.value = caught;
    } finally {
      reading.value = false;
    }
  };

  const onDrop = (event: TargetedDragEvent<HTMLElement>) => {
    event.preventDefault();
    dragging.value = false;
    void take(event.dataTransfer?.files[0]);
  };
  const onDragOver = (event: TargetedDragEvent<HTMLElement>) => {
    event.preventDefault();
    dragging.value = true;
  };

  return (
    <section class="card" aria-labelledby="upload-title">
      <h2 id="upload-title">{t("imports.upload.title")}</h2>
      <label
        // i18n-ignore: class names
        class={`dropzone${dragging.value ? " is-dragging" : ""}`}
        onDrop={onDrop}
        onDragOver={onDragOver}
        onDragLeave={() => (dragging.value = false)}
        data-testid="dropzone"
      >
        <input
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/plain"
          class="visually-hidden"
          aria-label={t("imports.upload.file")}
          onChange={(event: TargetedEvent<HTMLInputElement>) => void take(event.currentTarget.files?.[0])}
        />
        <strong>{reading.value ? t("imports.upload.reading") : t("imports.upload.drop")}</strong>
        <span class="muted">{t("imports.upload.hint", { kb: formatNumber(PREVIEW_BYTES / 1024) })}</span>
      </label>
      <ErrorBanner error={failure.value} />
    </section>
  );
}

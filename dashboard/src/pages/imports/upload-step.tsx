import { useSignal } from "@preact/signals";
import type { TargetedDragEvent, TargetedEvent } from "preact";
import { ErrorBanner } from "../../components/error-banner";
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
      <h2 id="upload-title">Choose a CSV file</h2>
      <label
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
          aria-label="CSV file"
          onChange={(event: TargetedEvent<HTMLInputElement>) => void take(event.currentTarget.files?.[0])}
        />
        <strong>{reading.value ? "Reading…" : "Drop a CSV file here, or click to choose one"}</strong>
        <span class="muted">
          Comma, semicolon or tab separated, UTF-8 (with or without a BOM), with a header row. Any size: only
          the first {PREVIEW_BYTES / 1024} KB are read here, for the preview.
        </span>
      </label>
      <ErrorBanner error={failure.value} />
    </section>
  );
}

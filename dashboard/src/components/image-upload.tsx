import { useSignal } from "@preact/signals";
import type { TargetedDragEvent, TargetedEvent } from "preact";
import { type Asset, assets, IMAGE_ACCEPT, imageProblem } from "../api/assets";
import { ErrorBanner } from "./error-banner";
import { ProgressBar } from "./progress-bar";
import "./image-library.css";
import { formatPercent } from "../format";
import { t } from "../i18n";

interface ImageUploadProps {
  /** Called after each image is stored. */
  onUploaded: (asset: Asset) => void;
}

interface Progress {
  name: string;
  fraction: number;
}

/**
 * Upload images by file input or drag and drop, one after another, with progress. Files the
 * server would refuse (too big, wrong type) are refused here first, in plain words.
 */
export function ImageUpload({ onUploaded }: ImageUploadProps) {
  const dragging = useSignal(false);
  const progress = useSignal<Progress | null>(null);
  const problems = useSignal<string[]>([]);
  const failure = useSignal<unknown>(null);

  const take = async (files: File[]) => {
    if (files.length === 0 || progress.value) return;
    failure.value = null;
    problems.value = files.flatMap((f) => imageProblem(f) ?? []);
    for (const file of files.filter((f) => !imageProblem(f))) {
      progress.value = { name: file.name, fraction: 0 };
      try {
        onUploaded(await assets.upload(file, (fraction) => (progress.value = { name: file.name, fraction })));
      } catch (caught) {
        failure.value = caught;
        break;
      } finally {
        progress.value = null;
      }
    }
  };

  const onDrop = (event: TargetedDragEvent<HTMLElement>) => {
    event.preventDefault();
    dragging.value = false;
    void take([...(event.dataTransfer?.files ?? [])]);
  };
  const onDragOver = (event: TargetedDragEvent<HTMLElement>) => {
    event.preventDefault();
    dragging.value = true;
  };
  const onChange = (event: TargetedEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    void take([...(input.files ?? [])]).finally(() => (input.value = ""));
  };

  return (
    <div class="image-upload">
      <label
        class={`image-drop${dragging.value ? " is-dragging" : ""}`}
        onDrop={onDrop}
        onDragOver={onDragOver}
        onDragLeave={() => (dragging.value = false)}
        data-testid="image-dropzone"
      >
        <input
          type="file"
          multiple
          accept={IMAGE_ACCEPT}
          class="visually-hidden"
          aria-label={t("components.images.upload")}
          disabled={progress.value !== null}
          onChange={onChange}
        />
        <strong>{t("components.images.drop")}</strong>
        <span class="muted">{t("components.images.limits")}</span>
      </label>
      {progress.value && (
        <ProgressBar
          label={t("components.images.uploading", { name: progress.value.name })}
          value={Math.round(progress.value.fraction * 100)}
          max={100}
          text={t("components.images.uploadingPercent", {
            name: progress.value.name,
            percent: formatPercent(progress.value.fraction, 0),
          })}
        />
      )}
      {problems.value.map((text) => (
        <div key={text} class="banner banner--error" role="alert" data-testid="image-problem">
          {text}
        </div>
      ))}
      <ErrorBanner error={failure.value} />
    </div>
  );
}

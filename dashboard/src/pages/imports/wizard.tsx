import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { useLocation } from "preact-iso";
import { type AudienceList, audienceApi, type FieldDef } from "../../api/segments-imports";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { formatNumber } from "../../format";
import { t } from "../../i18n";
import { type CsvPreview, previewFile } from "./csv-preview";
import { formatSize, MappingStep } from "./mapping-step";
import { UploadStep } from "./upload-step";

const STEPS = ["choose", "map", "upload", "progress"] as const;

interface Chosen {
  file: File;
  preview: CsvPreview;
}

/** `/imports/new`: choose a file, map its columns, upload it, then follow it on its own page. */
export function NewImport() {
  const { route } = useLocation();
  const audience = useSignal<{ fields: FieldDef[]; lists: AudienceList[] } | null>(null);
  const failure = useSignal<unknown>(null);
  const chosen = useSignal<Chosen | null>(null);
  const uploading = useSignal(false);

  const load = () => {
    failure.value = null;
    Promise.all([audienceApi.fields.all(), audienceApi.lists.all()])
      .then(([fields, lists]) => {
        audience.value = { fields, lists };
      })
      .catch((error: unknown) => {
        failure.value = error;
      });
  };
  useEffect(load, []);

  const onFile = async (file: File) => {
    const preview = await previewFile(file);
    if (preview.header.length === 0) throw new Error(t("imports.wizard.emptyFile", { name: file.name }));
    chosen.value = { file, preview };
  };

  const step = uploading.value ? 2 : chosen.value ? 1 : 0;
  const loaded = audience.value;
  const current = chosen.value;

  return (
    <Page
      title={t("imports.new")}
      intro={t("imports.wizard.intro")}
      actions={
        <a class="button" href="/imports">
          {t("imports.wizard.back")}
        </a>
      }
    >
      <ol class="steps" aria-label={t("imports.wizard.steps")}>
        {STEPS.map((name, index) => (
          <li
            key={name}
            aria-current={index === step ? "step" : undefined}
            class={index < step ? "is-done" : undefined}
          >
            <span class="steps__number">{formatNumber(index + 1)}</span> {t(`imports.wizard.step.${name}`)}
          </li>
        ))}
      </ol>
      <ErrorBanner error={failure.value} onRetry={load} />
      {!loaded && !failure.value && (
        <p class="muted" aria-busy="true">
          {t("common.loading")}
        </p>
      )}
      {loaded && !current && <UploadStep onFile={onFile} />}
      {current && uploading.value && (
        <section class="card import-uploading" aria-labelledby="uploading-title">
          <h2 id="uploading-title">{t("imports.wizard.uploadingTitle", { name: current.file.name })}</h2>
          <progress class="progress" aria-label={t("imports.wizard.upload")} />
          <p class="muted">{t("imports.wizard.uploadingNote", { size: formatSize(current.file.size) })}</p>
        </section>
      )}
      {loaded && current && (
        <MappingStep
          file={current.file}
          preview={current.preview}
          fields={loaded.fields}
          lists={loaded.lists}
          onBack={() => (chosen.value = null)}
          onStart={async (input) => {
            uploading.value = true;
            try {
              const { id } = await audienceApi.imports.start(input);
              route(`/imports/${encodeURIComponent(id)}`);
            } finally {
              uploading.value = false;
            }
          }}
        />
      )}
    </Page>
  );
}

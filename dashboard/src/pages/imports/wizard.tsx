import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { useLocation } from "preact-iso";
import { type AudienceList, audienceApi, type FieldDef } from "../../api/segments-imports";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { type CsvPreview, previewFile } from "./csv-preview";
import { formatBytes, MappingStep } from "./mapping-step";
import { UploadStep } from "./upload-step";

const STEPS = ["Choose file", "Map columns", "Upload", "Progress"] as const;

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
    if (preview.header.length === 0)
      throw new Error(`${file.name} is empty: there is no header row to read.`);
    chosen.value = { file, preview };
  };

  const step = uploading.value ? 2 : chosen.value ? 1 : 0;
  const loaded = audience.value;
  const current = chosen.value;

  return (
    <Page
      title="New import"
      intro="Add or update subscribers from a CSV file."
      actions={
        <a class="button" href="/imports">
          Back to imports
        </a>
      }
    >
      <ol class="steps" aria-label="Import steps">
        {STEPS.map((label, index) => (
          <li
            key={label}
            aria-current={index === step ? "step" : undefined}
            class={index < step ? "is-done" : undefined}
          >
            <span class="steps__number">{index + 1}</span> {label}
          </li>
        ))}
      </ol>
      <ErrorBanner error={failure.value} onRetry={load} />
      {!loaded && !failure.value && (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      )}
      {loaded && !current && <UploadStep onFile={onFile} />}
      {current && uploading.value && (
        <section class="card import-uploading" aria-labelledby="uploading-title">
          <h2 id="uploading-title">Uploading {current.file.name}</h2>
          <progress class="progress" aria-label="Upload" />
          <p class="muted">
            {formatBytes(current.file.size)} are sent straight from the file; the server checks and stores the
            rows as they arrive. Keep this page open until the import's progress appears.
          </p>
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

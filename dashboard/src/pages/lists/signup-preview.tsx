import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { audience, type ListFormPreview } from "../../api/audience";
import { ApiError } from "../../api/errors";
import { CopyButton } from "../../components/copy-button";
import { ErrorBanner } from "../../components/error-banner";
import { HtmlPreview } from "../../components/html-preview";
import { t } from "../../i18n";
import { type Draft, toBody } from "./signup-model";

const DEBOUNCE_MS = 300;

/** The hosted page and the embed snippet as they will be with the unsaved changes, rendered by the server. */
export function SignupPreview({ listId, draft }: { listId: string; draft: Draft }) {
  const shown = useSignal<ListFormPreview | null>(null);
  const failure = useSignal<unknown>(null);
  const loading = useSignal(true);
  const width = useSignal<"desktop" | "mobile">("desktop");
  const generation = useRef(0);
  const key = JSON.stringify(draft);

  useEffect(() => {
    const mine = ++generation.current;
    loading.value = true;
    const timer = setTimeout(async () => {
      try {
        const answer = await audience.lists.previewForm(listId, toBody(draft));
        if (mine !== generation.current) return;
        shown.value = answer;
        failure.value = null;
      } catch (caught) {
        // A 400 is the form's to show beside its inputs; keep the last good preview.
        if (mine === generation.current)
          failure.value = caught instanceof ApiError && caught.status === 400 ? null : caught;
      } finally {
        if (mine === generation.current) loading.value = false;
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [listId, key]);

  const preview = shown.value;
  return (
    <section class="card signup-preview" aria-labelledby="signup-preview-title" aria-busy={loading.value}>
      <div class="signup-preview__head">
        <h2 id="signup-preview-title">{t("lists.preview.hostedPage")}</h2>
        <fieldset class="signup-preview__widths">
          <legend class="visually-hidden">{t("lists.preview.width")}</legend>
          {(["desktop", "mobile"] as const).map((w) => (
            <button
              key={w}
              type="button"
              class={width.value === w ? "button button--small button--primary" : "button button--small"}
              aria-pressed={width.value === w}
              onClick={() => (width.value = w)}
            >
              {w === "desktop" ? t("lists.preview.desktop") : t("lists.preview.mobile")}
            </button>
          ))}
        </fieldset>
      </div>
      <ErrorBanner error={failure.value} />
      {preview?.url ? (
        <p>
          {t("lists.preview.link")}{" "}
          <a href={preview.url} target="_blank" rel="noopener noreferrer" data-testid="hosted-page-link">
            {preview.url}
          </a>{" "}
          <CopyButton value={preview.url} label={t("lists.preview.copyLink")} />
        </p>
      ) : (
        preview && <p class="banner banner--warning">{preview.warning ?? t("lists.preview.closed")}</p>
      )}
      {preview && (
        <HtmlPreview title={t("lists.preview.frameTitle")} html={preview.page} width={width.value} />
      )}
      <h2 class="signup-preview__snippet-title">{t("lists.preview.embed")}</h2>
      <p class="muted">{t("lists.preview.embedIntro")}</p>
      {preview && (
        <>
          <pre class="snippet">
            <code data-testid="embed-snippet">{preview.html}</code>
          </pre>
          <CopyButton value={preview.html} label={t("lists.preview.copyEmbed")} />
        </>
      )}
    </section>
  );
}

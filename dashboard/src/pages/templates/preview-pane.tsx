import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { content, type RenderedMessage } from "../../api/content";
import { ApiError } from "../../api/errors";
import { ErrorBanner } from "../../components/error-banner";
import { HtmlPreview } from "../../components/html-preview";
import { t } from "../../i18n";
import { contentOf, type Draft } from "./draft";
import { PreviewAs, type Recipient } from "./preview-as";
import { DEBOUNCE_MS } from "./use-check";

interface PreviewPaneProps {
  /** Null for a template not saved yet (its unsaved content is rendered all the same). */
  templateId: string | null;
  draft: Draft;
  recipient: Recipient;
  onRecipient: (recipient: Recipient) => void;
}

type Tab = "html" | "text";

/** The unsaved draft rendered as a recipient would get it, in a script-less frame, HTML or plain text. */
export function PreviewPane({ templateId, draft, recipient, onRecipient }: PreviewPaneProps) {
  const rendered = useSignal<RenderedMessage | null>(null);
  const loading = useSignal(false);
  const failure = useSignal<unknown>(null);
  const invalid = useSignal(false);
  const tab = useSignal<Tab>("html");
  const width = useSignal<"desktop" | "mobile">("desktop");
  const generation = useRef(0);
  const body = contentOf(draft);
  const key = JSON.stringify([templateId, body, recipient.subscriber?.id, recipient.data]);

  useEffect(() => {
    const mine = ++generation.current;
    if (body.html === "") {
      loading.value = false;
      return;
    }
    loading.value = true;
    const timer = setTimeout(async () => {
      try {
        const answer = await content.templates.preview(templateId, {
          ...body,
          // An empty subject is the form's problem; the preview falls back to the saved one.
          subject: body.subject.trim() === "" ? undefined : body.subject,
          subscriberId: recipient.subscriber?.id,
          data: recipient.data,
        });
        if (mine !== generation.current) return;
        rendered.value = answer;
        failure.value = null;
        invalid.value = false;
      } catch (caught) {
        if (mine !== generation.current) return;
        // A syntax error: the checks list says where; keep showing the last good rendering.
        invalid.value = caught instanceof ApiError && caught.status === 400;
        failure.value = invalid.value ? null : caught;
      } finally {
        if (mine === generation.current) loading.value = false;
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);

  const shown: RenderedMessage | null = rendered.value;

  return (
    <section class="card template-preview" aria-labelledby="preview-title" aria-busy={loading.value}>
      <div class="template-preview__head">
        <h2 id="preview-title">{t("templates.preview.title")}</h2>
        <fieldset class="segmented">
          <legend class="visually-hidden">{t("templates.preview.width")}</legend>
          {(["desktop", "mobile"] as const).map((value) => (
            <button
              key={value}
              type="button"
              class="button button--small"
              aria-pressed={width.value === value}
              onClick={() => (width.value = value)}
            >
              {value === "desktop" ? t("templates.preview.desktop") : t("templates.preview.mobile")}
            </button>
          ))}
        </fieldset>
      </div>
      <PreviewAs value={recipient} onChange={onRecipient} withData={draft.kind === "transactional"} />
      <p class="template-preview__status muted" aria-live="polite">
        {loading.value
          ? t("templates.preview.updating")
          : invalid.value
            ? t("templates.preview.invalid")
            : ""}
      </p>
      <ErrorBanner error={failure.value} />
      {shown && (
        <>
          <p class="template-preview__subject">
            <span class="muted">{t("templates.preview.subject")} </span>
            <strong data-testid="preview-subject">{shown.subject || "—"}</strong>
          </p>
          <div class="tabs" role="tablist" aria-label={t("templates.preview.part")}>
            <Tab
              id="html"
              label={t("templates.parts.html")}
              tab={tab.value}
              onSelect={(next) => (tab.value = next)}
            />
            <Tab
              id="text"
              label={t("templates.parts.text")}
              tab={tab.value}
              onSelect={(next) => (tab.value = next)}
            />
          </div>
          <div role="tabpanel" id={`preview-panel-${tab.value}`} aria-labelledby={`preview-tab-${tab.value}`}>
            {tab.value === "html" ? (
              <HtmlPreview title={t("templates.preview.frameTitle")} html={shown.html} width={width.value} />
            ) : (
              <pre class="template-preview__text" data-testid="preview-text">
                {shown.text || (templateId ? "" : t("templates.preview.textGenerated"))}
              </pre>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function Tab({
  id,
  label,
  tab,
  onSelect,
}: {
  id: Tab;
  label: string;
  tab: Tab;
  onSelect: (tab: Tab) => void;
}) {
  return (
    <button
      type="button"
      role="tab"
      id={`preview-tab-${id}`}
      class="tabs__tab"
      aria-selected={tab === id}
      aria-controls={`preview-panel-${id}`}
      tabIndex={tab === id ? 0 : -1}
      onClick={() => onSelect(id)}
    >
      {label}
    </button>
  );
}

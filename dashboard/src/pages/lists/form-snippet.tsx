import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { audience, type List } from "../../api/audience";
import { Dialog } from "../../components/dialog";
import { ErrorBanner } from "../../components/error-banner";
import { useResource } from "../../hooks/use-resource";
import { t } from "../../i18n";

/** The copy-paste HTML subscription form of a public list, with a copy button. */
export function FormSnippetDialog({ list, onClose }: { list: List; onClose: () => void }) {
  const snippet = useResource(() => audience.lists.form(list.id), list.id);
  const copied = useSignal<"idle" | "copied" | "failed">("idle");
  const codeRef = useRef<HTMLElement>(null);
  const html = snippet.data.value?.html;

  const copy = async () => {
    if (!html) return;
    try {
      await navigator.clipboard.writeText(html);
      copied.value = "copied";
    } catch {
      // Clipboard access can be refused (insecure origin, permissions): select it for a manual copy.
      const node = codeRef.current;
      if (node) window.getSelection()?.selectAllChildren(node);
      copied.value = "failed";
    }
  };

  return (
    <Dialog title={t("lists.snippet.title", { name: list.name })} onClose={onClose} wide>
      <div class="dialog__body" aria-busy={snippet.loading.value}>
        <p class="muted">
          {list.optIn === "double" ? t("lists.snippet.introDouble") : t("lists.snippet.intro")}
        </p>
        <ErrorBanner error={snippet.error.value} onRetry={snippet.reload} />
        {snippet.data.value?.warning && (
          <div class="banner banner--warning" role="note">
            {snippet.data.value.warning}
          </div>
        )}
        {snippet.loading.value && <p class="muted">{t("common.loading")}</p>}
        {html !== undefined && (
          <pre class="snippet">
            <code ref={codeRef} data-testid="form-snippet">
              {html}
            </code>
          </pre>
        )}
        {copied.value === "failed" && <p class="muted">{t("lists.snippet.clipboardFailed")}</p>}
      </div>
      <div class="dialog__actions">
        <a class="button" href={`/lists/${encodeURIComponent(list.id)}/signup`}>
          {t("lists.snippet.customise")}
        </a>
        <button type="button" class="button" onClick={onClose}>
          {t("common.close")}
        </button>
        <button type="button" class="button button--primary" onClick={copy} disabled={html === undefined}>
          {copied.value === "copied" ? t("common.copied") : t("lists.snippet.copy")}
        </button>
      </div>
    </Dialog>
  );
}

import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { CreatedApiKey } from "../../api/client";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";

interface NewKeyNoticeProps {
  apiKey: CreatedApiKey;
  onDone: () => void;
}

/** The one moment the full key exists outside the server: show it, offer a copy, say so plainly. */
export function NewKeyNotice({ apiKey, onDone }: NewKeyNoticeProps) {
  const copied = useSignal<"idle" | "copied" | "failed">("idle");
  const keyRef = useRef<HTMLElement>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(apiKey.key);
      copied.value = "copied";
    } catch {
      // Clipboard access can be refused (insecure origin, permissions): select it for a manual copy.
      const node = keyRef.current;
      if (node) window.getSelection()?.selectAllChildren(node);
      copied.value = "failed";
    }
  };

  return (
    <section class="card new-key" role="alert" aria-labelledby="new-key-title">
      <h2 id="new-key-title">{t("apiKeys.new.title", { name: apiKey.name })}</h2>
      <p>
        <Trans k="apiKeys.new.body" parts={[(s) => <strong>{s}</strong>]} />
      </p>
      <div class="new-key__row">
        <code class="new-key__value" ref={keyRef} data-testid="new-api-key">
          {apiKey.key}
        </code>
        <button type="button" class="button button--primary" onClick={copy}>
          {copied.value === "copied" ? t("common.copied") : t("common.copy")}
        </button>
      </div>
      {copied.value === "failed" && <p class="muted">{t("apiKeys.new.copyFailed")}</p>}
      <button type="button" class="button" onClick={onDone}>
        {t("apiKeys.new.done")}
      </button>
    </section>
  );
}

import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { CreatedApiKey } from "../../api/client";

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
      <h2 id="new-key-title">API key “{apiKey.name}” created</h2>
      <p>
        <strong>Copy this key now: you will not see it again.</strong> Edgepost stores only a hash of it. If
        you lose it, revoke it and create a new one.
      </p>
      <div class="new-key__row">
        <code class="new-key__value" ref={keyRef} data-testid="new-api-key">
          {apiKey.key}
        </code>
        <button type="button" class="button button--primary" onClick={copy}>
          {copied.value === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      {copied.value === "failed" && (
        <p class="muted">Could not use the clipboard; the key is selected, copy it with your keyboard.</p>
      )}
      <button type="button" class="button" onClick={onDone}>
        I have saved it
      </button>
    </section>
  );
}

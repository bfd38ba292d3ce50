import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import "./copy-button.css";
import { t } from "../i18n";

interface CopyButtonProps {
  value: string;
  /** What is copied, for screen readers: "Copy value of the DKIM record". */
  label: string;
}

/** Copies a value to the clipboard and says so for a moment; says so too when the browser refuses. */
export function CopyButton({ value, label }: CopyButtonProps) {
  const state = useSignal<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state.value === "idle") return;
    const timer = setTimeout(() => (state.value = "idle"), 2500);
    return () => clearTimeout(timer);
  }, [state.value]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      state.value = "copied";
    } catch {
      // No clipboard (an insecure origin, a refused permission): the value stays visible to copy by hand.
      state.value = "failed";
    }
  };

  const text = { idle: t("common.copy"), copied: t("common.copied"), failed: t("components.copy.failed") }[
    state.value
  ];
  return (
    <span class="copy-button">
      <button type="button" class="button button--small" onClick={copy} aria-label={label}>
        {text}
      </button>
      <span class="visually-hidden" role="status">
        {state.value === "copied"
          ? t("components.copy.copied")
          : state.value === "failed"
            ? t("components.copy.couldNot")
            : ""}
      </span>
    </span>
  );
}

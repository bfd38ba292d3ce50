import type { ComponentChildren, TargetedEvent } from "preact";
import { useEffect, useId, useRef } from "preact/hooks";

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** Room for code or tables. */
  wide?: boolean;
}

/**
 * A modal on the native <dialog>: focus trap, Escape and the backdrop come from the browser.
 * Mount it only while open; Escape asks the owner to close rather than closing by itself.
 */
export function Dialog({ title, onClose, children, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const onCancel = (event: TargetedEvent<HTMLDialogElement>) => {
    event.preventDefault();
    onClose();
  };

  return (
    <dialog
      ref={ref}
      class={wide ? "dialog dialog--wide" : "dialog"}
      aria-labelledby={titleId}
      onCancel={onCancel}
    >
      <h2 id={titleId} class="dialog__title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

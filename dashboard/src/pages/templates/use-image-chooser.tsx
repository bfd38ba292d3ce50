import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { ImageLibraryDialog, type PickedAsset } from "../../components/image-library";

/**
 * The image library as a promise for the block builder's "Choose image…": `choose()` opens the
 * library and resolves with the picked image, or null when it is closed; `dialog` is rendered
 * by the page while it is open.
 */
export function useImageChooser() {
  const open = useSignal(false);
  const pending = useRef<((asset: PickedAsset | null) => void) | null>(null);
  const finish = (asset: PickedAsset | null) => {
    pending.current?.(asset);
    pending.current = null;
    open.value = false;
  };
  const choose = () =>
    new Promise<PickedAsset | null>((resolve) => {
      // A second click while open answers the first caller with nothing.
      pending.current?.(null);
      pending.current = resolve;
      open.value = true;
    });
  const dialog = open.value ? <ImageLibraryDialog onPick={finish} onClose={() => finish(null)} /> : null;
  return { choose, dialog };
}

import type { ComponentChildren } from "preact";
import { type Asset, assets } from "../api/assets";
import { formatBytes, formatNumber } from "../format";
import { type Pager, usePager } from "../hooks/use-pager";
import { canEdit } from "../session";
import { Dialog } from "./dialog";
import { ErrorBanner } from "./error-banner";
import { ImageUpload } from "./image-upload";
import "./image-library.css";
import { t } from "../i18n";

/** What a picker hands back: the fields a block needs to show the image. */
export interface PickedAsset {
  id: string;
  url: string;
  contentType: string;
  size: number;
}

/** The library's pages, newest first, 24 images at a time ("Load more" for the next ones). */
export function useImagePager(): Pager<Asset> {
  return usePager((cursor) => assets.list({ limit: 24, cursor }), "", "append");
}

/** The thumbnail's address on this origin (the `url` may name APP_URL's host, for mail). */
const thumb = (asset: Asset) => {
  try {
    return new URL(asset.url).pathname;
  } catch {
    return asset.url;
  }
};

const dims = (a: Asset) => (a.width && a.height ? `${a.width}×${a.height}, ` : "");
const label = (a: Asset) => a.name ?? t("components.images.unnamed", { id: a.id.slice(-6) });

interface ImageGridProps {
  pager: Pager<Asset>;
  /** Each image is a button that picks it. */
  onPick?: (asset: Asset) => void;
  /** Extra controls under each image (delete, copy URL). */
  actions?: (asset: Asset) => ComponentChildren;
}

/** Thumbnails of the library with their name, size and dimensions, and "Load more". */
export function ImageGrid({ pager, onPick, actions }: ImageGridProps) {
  const rows = pager.rows.value;
  return (
    <div class="image-grid-wrap">
      <ErrorBanner error={pager.error.value} onRetry={pager.retry} />
      {rows.length === 0 && !pager.loading.value && !pager.error.value && (
        <p class="muted">{t("components.images.empty")}</p>
      )}
      <ul
        class="image-grid"
        aria-label={t("components.images.label")}
        aria-busy={pager.loading.value}
        data-testid="image-grid"
      >
        {rows.map((asset) => (
          <li key={asset.id} class="image-tile" data-testid="image-tile">
            <Tile asset={asset} onPick={onPick} />
            <span class="image-tile__name" title={label(asset)}>
              {label(asset)}
            </span>
            <span class="image-tile__meta muted">
              {dims(asset)}
              {formatBytes(asset.size)}
            </span>
            {actions?.(asset)}
          </li>
        ))}
      </ul>
      <div class="table-footer">
        <span class="muted">
          {pager.loading.value && rows.length === 0
            ? t("common.loading")
            : t("components.table.showingOf", {
                shown: formatNumber(rows.length),
                total: formatNumber(pager.total.value ?? rows.length),
              })}
        </span>
        {pager.nextCursor.value && (
          <button type="button" class="button" onClick={pager.loadMore} disabled={pager.loading.value}>
            {pager.loading.value ? t("common.loading") : t("common.loadMore")}
          </button>
        )}
      </div>
    </div>
  );
}

function Tile({ asset, onPick }: { asset: Asset; onPick?: (asset: Asset) => void }) {
  const img = <img src={thumb(asset)} alt={label(asset)} loading="lazy" class="image-tile__img" />;
  if (!onPick) return <div class="image-tile__frame">{img}</div>;
  return (
    <button
      type="button"
      class="image-tile__frame image-tile__pick"
      onClick={() => onPick(asset)}
      aria-label={t("components.images.use", { name: label(asset) })}
    >
      {img}
    </button>
  );
}

interface ImageLibraryDialogProps {
  onPick: (asset: PickedAsset) => void;
  onClose: () => void;
}

/**
 * Pick an image from the library, or upload one first (editors): a modal with the uploader and
 * the grid. Clicking an image calls `onPick` with it; closing is left to the caller.
 */
export function ImageLibraryDialog({ onPick, onClose }: ImageLibraryDialogProps) {
  const pager = useImagePager();
  return (
    <Dialog title={t("components.images.title")} onClose={onClose} wide>
      <div class="dialog__body image-library">
        {canEdit.value && <ImageUpload onUploaded={() => pager.reload()} />}
        <ImageGrid
          pager={pager}
          onPick={(a) => onPick({ id: a.id, url: a.url, contentType: a.contentType, size: a.size })}
        />
      </div>
      <div class="dialog__actions">
        <button type="button" class="button" onClick={onClose}>
          {t("common.cancel")}
        </button>
      </div>
    </Dialog>
  );
}

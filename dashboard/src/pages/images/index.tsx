import { useSignal } from "@preact/signals";
import { type Asset, assets } from "../../api/assets";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { CopyButton } from "../../components/copy-button";
import { ImageGrid, useImagePager } from "../../components/image-library";
import { ImageUpload } from "../../components/image-upload";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { canEdit } from "../../session";

/** The image library: browse, upload (editors) and delete the images used in mail. */
export function ImagesPage() {
  const pager = useImagePager();
  const removing = useSignal<Asset | null>(null);
  const notify = useToast();
  const editable = canEdit.value;

  const actions = (asset: Asset) => (
    <div class="image-tile__actions">
      <CopyButton value={asset.url} label={`Copy the address of ${asset.name ?? "this image"}`} />
      {editable && (
        <button
          type="button"
          class="button button--small button--danger-quiet"
          onClick={() => (removing.value = asset)}
        >
          Delete<span class="visually-hidden"> {asset.name ?? "image"}</span>
        </button>
      )}
    </div>
  );

  return (
    <Page
      title="Images"
      intro="Images for your emails, stored with Edgepost and served from this server's address with long caching."
    >
      {editable && (
        <section class="card">
          <ImageUpload
            onUploaded={(asset) => {
              notify(`${asset.name ?? "The image"} is in the library.`);
              pager.reload();
            }}
          />
        </section>
      )}
      <ImageGrid pager={pager} actions={actions} />
      {removing.value && (
        <ConfirmDialog
          title="Delete this image?"
          confirmLabel="Delete image"
          onClose={() => (removing.value = null)}
          onConfirm={async () => {
            const asset = removing.value;
            if (!asset) return;
            await assets.remove(asset.id);
            notify(`${asset.name ?? "The image"} is deleted.`);
            pager.reload();
          }}
        >
          <p>
            <strong>{removing.value.name ?? "This image"}</strong> will be removed from the library and from
            this server. Emails already sent that show it will show a broken image, and templates that use it
            need a new one.
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

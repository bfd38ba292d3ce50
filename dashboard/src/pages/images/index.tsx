import { useSignal } from "@preact/signals";
import { type Asset, assets } from "../../api/assets";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { CopyButton } from "../../components/copy-button";
import { ImageGrid, useImagePager } from "../../components/image-library";
import { ImageUpload } from "../../components/image-upload";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { canEdit } from "../../session";

/** The image library: browse, upload (editors) and delete the images used in mail. */
export function ImagesPage() {
  const pager = useImagePager();
  const removing = useSignal<Asset | null>(null);
  const notify = useToast();
  const editable = canEdit.value;

  const actions = (asset: Asset) => (
    <div class="image-tile__actions">
      <CopyButton
        value={asset.url}
        label={asset.name ? t("images.copyAddressOf", { name: asset.name }) : t("images.copyAddress")}
      />
      {editable && (
        <button
          type="button"
          class="button button--small button--danger-quiet"
          onClick={() => (removing.value = asset)}
        >
          {t("common.delete")}
          <span class="visually-hidden"> {asset.name ?? t("images.image")}</span>
        </button>
      )}
    </div>
  );

  return (
    <Page title={t("images.title")} intro={t("images.intro")}>
      {editable && (
        <section class="card">
          <ImageUpload
            onUploaded={(asset) => {
              notify(asset.name ? t("images.uploadedNamed", { name: asset.name }) : t("images.uploaded"));
              pager.reload();
            }}
          />
        </section>
      )}
      <ImageGrid pager={pager} actions={actions} />
      {removing.value && (
        <ConfirmDialog
          title={t("images.delete.title")}
          confirmLabel={t("images.delete.confirm")}
          onClose={() => (removing.value = null)}
          onConfirm={async () => {
            const asset = removing.value;
            if (!asset) return;
            await assets.remove(asset.id);
            notify(asset.name ? t("images.deletedNamed", { name: asset.name }) : t("images.deleted"));
            pager.reload();
          }}
        >
          <p>
            <Trans
              k="images.delete.body"
              values={{ name: removing.value.name ?? t("images.thisImage") }}
              parts={[(text) => <strong>{text}</strong>]}
            />
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

import { useSignal } from "@preact/signals";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { MAX_TEST_ADDRESSES, TestSendDialog } from "../../components/test-send-dialog";
import { t } from "../../i18n";

/** "Send test": up to 10 addresses get the campaign as it stands, then each address's result. */
export function TestDialog({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  /** "" is the campaign's own content; else an A/B variant's. */
  const variant = useSignal("");

  return (
    <TestSendDialog
      intro={t("campaigns.test.intro")}
      field={{
        id: "campaign-test-emails",
        label: t("campaigns.test.sendTo"),
        hint: t("campaigns.test.hint", { max: MAX_TEST_ADDRESSES }),
      }}
      tooMany={() => t("campaigns.test.tooMany", { max: MAX_TEST_ADDRESSES })}
      send={async (emails) =>
        (await campaignsApi.test(campaign.id, emails, variant.value || undefined)).results
      }
      onClose={onClose}
    >
      {campaign.variants.length > 0 && (
        <div class="field">
          <label for="campaign-test-variant">{t("campaigns.test.variant")}</label>
          <select
            id="campaign-test-variant"
            value={variant.value}
            onChange={(event) => (variant.value = event.currentTarget.value)}
          >
            <option value="">{t("campaigns.test.ownContent")}</option>
            {campaign.variants.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </div>
      )}
    </TestSendDialog>
  );
}

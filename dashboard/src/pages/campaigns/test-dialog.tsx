import { useSignal } from "@preact/signals";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { MAX_TEST_ADDRESSES, TestSendDialog } from "../../components/test-send-dialog";

/** "Send test": up to 10 addresses get the campaign as it stands, then each address's result. */
export function TestDialog({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  /** "" is the campaign's own content; else an A/B variant's. */
  const variant = useSignal("");

  return (
    <TestSendDialog
      intro={
        <>
          The campaign as it is now, from its sender and relay, with “[Test]” before the subject and sample
          data where the subscriber’s would go. Tests are not tracked and do not count in the stats.
        </>
      }
      field={{
        id: "campaign-test-emails",
        label: "Send to",
        hint: `Up to ${MAX_TEST_ADDRESSES} addresses, one a line or separated by commas.`,
      }}
      tooMany={() => `At most ${MAX_TEST_ADDRESSES} addresses at a time.`}
      send={async (emails) =>
        (await campaignsApi.test(campaign.id, emails, variant.value || undefined)).results
      }
      onClose={onClose}
    >
      {campaign.variants.length > 0 && (
        <div class="field">
          <label for="campaign-test-variant">Variant</label>
          <select
            id="campaign-test-variant"
            value={variant.value}
            onChange={(event) => (variant.value = event.currentTarget.value)}
          >
            <option value="">The campaign's own subject and template</option>
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

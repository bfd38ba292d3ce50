import { useLocation } from "preact-iso";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { useToast } from "../../components/toast";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";

/**
 * What DELETE does to a campaign: a draft, or one that never sent, is deleted; one that has
 * started sending is archived with its send log (the API decides; the words must match).
 */
export type Removal = "draft" | "unsent" | "archive";

/** The words of each removal: `campaigns.remove.<removal>.{title,label,done,rest}`. */
const words = (removal: Removal, part: "title" | "label" | "done" | "rest", name = "") =>
  t(`campaigns.remove.${removal}.${part}`, { name });

/** The button's text for this removal, the same as the confirm button's. */
export const removeLabel = (removal: Removal) => words(removal, "label");

interface RemoveDialogProps {
  campaign: Campaign;
  removal: Removal;
  onClose: () => void;
}

/** Asks, removes the campaign, says so and goes back to the list. */
export function RemoveCampaignDialog({ campaign, removal, onClose }: RemoveDialogProps) {
  const { route } = useLocation();
  const notify = useToast();
  return (
    <ConfirmDialog
      title={words(removal, "title")}
      confirmLabel={words(removal, "label")}
      onClose={onClose}
      onConfirm={async () => {
        await campaignsApi.remove(campaign.id);
        notify(words(removal, "done", campaign.name));
        route("/campaigns");
      }}
    >
      <p>
        <Trans k={`campaigns.remove.${removal}.rest`} parts={[() => <strong>{campaign.name}</strong>]} />
      </p>
    </ConfirmDialog>
  );
}

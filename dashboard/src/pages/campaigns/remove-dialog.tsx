import { useLocation } from "preact-iso";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { useToast } from "../../components/toast";

/**
 * What DELETE does to a campaign: a draft, or one that never sent, is deleted; one that has
 * started sending is archived with its send log (the API decides; the words must match).
 */
export type Removal = "draft" | "unsent" | "archive";

const WORDS: Record<Removal, { title: string; label: string; done: string; rest: string }> = {
  draft: {
    title: "Delete this draft?",
    label: "Delete draft",
    done: "deleted",
    rest: " will be deleted. Its template, lists and segment stay as they are.",
  },
  unsent: {
    title: "Delete this campaign?",
    label: "Delete campaign",
    done: "deleted",
    rest: " never sent anything and will be deleted. This cannot be undone.",
  },
  archive: {
    title: "Archive this campaign?",
    label: "Archive campaign",
    done: "archived",
    rest:
      " leaves the campaign list and can no longer be changed. Its send log, figures and report stay, and" +
      " bounces that arrive later are still recorded. It stays under “Archived campaigns”.",
  },
};

/** The button's text for this removal, the same as the confirm button's. */
export const removeLabel = (removal: Removal) => WORDS[removal].label;

interface RemoveDialogProps {
  campaign: Campaign;
  removal: Removal;
  onClose: () => void;
}

/** Asks, removes the campaign, says so and goes back to the list. */
export function RemoveCampaignDialog({ campaign, removal, onClose }: RemoveDialogProps) {
  const { route } = useLocation();
  const notify = useToast();
  const words = WORDS[removal];
  return (
    <ConfirmDialog
      title={words.title}
      confirmLabel={words.label}
      onClose={onClose}
      onConfirm={async () => {
        await campaignsApi.remove(campaign.id);
        notify(`“${campaign.name}” was ${words.done}.`);
        route("/campaigns");
      }}
    >
      <p>
        <strong>{campaign.name}</strong>
        {words.rest}
      </p>
    </ConfirmDialog>
  );
}

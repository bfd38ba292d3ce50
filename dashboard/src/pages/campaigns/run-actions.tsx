import { useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorBanner } from "../../components/error-banner";
import { useToast } from "../../components/toast";
import { canEdit } from "../../session";
import { ScheduleDialog } from "./schedule-dialog";

interface RunActionsProps {
  campaign: Campaign;
  /** Failed sends so far: "Retry failed sends" is offered when there are some. */
  failed: number;
  onChanged: (campaign: Campaign) => void;
}

type Confirm = "cancel" | "retry" | "delete" | "reschedule" | null;

/** Pause, resume, unschedule (at once), reschedule (a dialog), cancel, retry, delete (confirmed); editors only. */
export function RunActions({ campaign, failed, onChanged }: RunActionsProps) {
  const { route } = useLocation();
  const notify = useToast();
  const busy = useSignal(false);
  const failure = useSignal<unknown>(null);
  const confirm = useSignal<Confirm>(null);
  // An archived campaign is a record: nothing about it can change any more.
  if (!canEdit.value || campaign.archivedAt) return null;
  const { status } = campaign;
  // One that has started sending is archived with its send log rather than deleted (API: DELETE).
  const archives = campaign.startedAt !== null;

  const run = async (action: (id: string) => Promise<Campaign>, done: string) => {
    busy.value = true;
    failure.value = null;
    try {
      onChanged(await action(campaign.id));
      notify(done);
    } catch (caught) {
      failure.value = caught;
    } finally {
      busy.value = false;
    }
  };

  const buttons = [
    (status === "sending" || status === "testing") && (
      <button
        key="pause"
        type="button"
        class="button"
        disabled={busy.value}
        onClick={() => run(campaignsApi.pause, "Paused.")}
      >
        Pause
      </button>
    ),
    status === "paused" && (
      <button
        key="resume"
        type="button"
        class="button button--primary"
        disabled={busy.value}
        onClick={() => run(campaignsApi.resume, "Resumed.")}
      >
        Resume
      </button>
    ),
    status === "scheduled" && (
      <button
        key="unschedule"
        type="button"
        class="button"
        disabled={busy.value}
        onClick={() => run(campaignsApi.unschedule, "Unscheduled: the campaign is a draft again.")}
      >
        Unschedule
      </button>
    ),
    status === "scheduled" && (
      <button
        key="reschedule"
        type="button"
        class="button"
        disabled={busy.value}
        onClick={() => (confirm.value = "reschedule")}
      >
        Reschedule…
      </button>
    ),
    failed > 0 && ["sending", "sent", "paused", "testing", "failed"].includes(status) && (
      <button
        key="retry"
        type="button"
        class="button"
        disabled={busy.value}
        onClick={() => (confirm.value = "retry")}
      >
        Retry failed sends
      </button>
    ),
    ["scheduled", "sending", "testing", "paused"].includes(status) && (
      <button
        key="cancel"
        type="button"
        class="button button--danger-quiet"
        disabled={busy.value}
        onClick={() => (confirm.value = "cancel")}
      >
        Cancel campaign
      </button>
    ),
    (status === "sent" || status === "cancelled" || status === "failed") && (
      <button
        key="delete"
        type="button"
        class="button button--danger-quiet"
        disabled={busy.value}
        onClick={() => (confirm.value = "delete")}
      >
        {archives ? "Archive campaign" : "Delete campaign"}
      </button>
    ),
  ].filter(Boolean);
  if (buttons.length === 0) return null;
  const close = () => (confirm.value = null);

  return (
    <div class="campaign-actions" data-testid="campaign-actions">
      {buttons}
      <ErrorBanner error={failure.value} />
      {confirm.value === "reschedule" && (
        <ScheduleDialog
          campaign={campaign}
          onClose={close}
          onScheduled={(scheduled) => {
            onChanged(scheduled);
            notify("Campaign rescheduled.");
          }}
        />
      )}
      {confirm.value === "cancel" && (
        <ConfirmDialog
          title="Cancel this campaign?"
          confirmLabel="Cancel campaign"
          onClose={close}
          onConfirm={async () => {
            onChanged(await campaignsApi.cancel(campaign.id));
            notify("Campaign cancelled.");
          }}
        >
          <p>
            Nothing more of <strong>{campaign.name}</strong> is sent; recipients not reached yet are marked
            skipped. A cancelled campaign cannot be resumed.
          </p>
        </ConfirmDialog>
      )}
      {confirm.value === "retry" && (
        <ConfirmDialog
          title="Retry failed sends?"
          confirmLabel="Retry failed sends"
          onClose={close}
          onConfirm={async () => {
            onChanged(await campaignsApi.retry(campaign.id));
            notify("Failed sends queued again.");
          }}
        >
          <p>
            The {failed.toLocaleString()} {failed === 1 ? "send" : "sends"} that failed for good, and any
            chunk of recipients that could not be processed, are sent again. Recipients who already got it are
            not sent it twice.
          </p>
        </ConfirmDialog>
      )}
      {confirm.value === "delete" && archives && (
        <ConfirmDialog
          title="Archive this campaign?"
          confirmLabel="Archive campaign"
          onClose={close}
          onConfirm={async () => {
            await campaignsApi.remove(campaign.id);
            notify(`“${campaign.name}” was archived.`);
            route("/campaigns");
          }}
        >
          <p>
            <strong>{campaign.name}</strong> leaves the campaign list and can no longer be changed. Its send
            log, figures and report stay, and bounces that arrive later are still recorded. It stays under
            “Archived campaigns”.
          </p>
        </ConfirmDialog>
      )}
      {confirm.value === "delete" && !archives && (
        <ConfirmDialog
          title="Delete this campaign?"
          confirmLabel="Delete campaign"
          onClose={close}
          onConfirm={async () => {
            await campaignsApi.remove(campaign.id);
            notify(`“${campaign.name}” was deleted.`);
            route("/campaigns");
          }}
        >
          <p>
            <strong>{campaign.name}</strong> never sent anything and will be deleted. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

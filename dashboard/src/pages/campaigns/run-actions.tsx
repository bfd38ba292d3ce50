import { useSignal } from "@preact/signals";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { type Action, ActionButtons } from "../../components/action-buttons";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorBanner } from "../../components/error-banner";
import { useToast } from "../../components/toast";
import { formatNumber } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { canEdit } from "../../session";
import { type Removal, RemoveCampaignDialog, removeLabel } from "./remove-dialog";
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
  const notify = useToast();
  const busy = useSignal(false);
  const failure = useSignal<unknown>(null);
  const confirm = useSignal<Confirm>(null);
  // An archived campaign is a record: nothing about it can change any more.
  if (!canEdit.value || campaign.archivedAt) return null;
  const { status } = campaign;
  // One that has started sending is archived with its send log rather than deleted (API: DELETE).
  const removal: Removal = campaign.startedAt !== null ? "archive" : "unsent";

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

  const ask = (what: Exclude<Confirm, null>) => () => (confirm.value = what);
  const offered: (Action | false)[] = [
    (status === "sending" || status === "testing") && {
      key: "pause",
      label: t("campaigns.run.pause"),
      onClick: () => run(campaignsApi.pause, t("campaigns.run.paused")),
    },
    status === "paused" && {
      key: "resume",
      label: t("campaigns.run.resume"),
      tone: "primary",
      onClick: () => run(campaignsApi.resume, t("campaigns.run.resumed")),
    },
    status === "scheduled" && {
      key: "unschedule",
      label: t("campaigns.run.unschedule"),
      onClick: () => run(campaignsApi.unschedule, t("campaigns.run.unscheduled")),
    },
    status === "scheduled" && {
      key: "reschedule",
      label: t("campaigns.run.reschedule"),
      onClick: ask("reschedule"),
    },
    failed > 0 &&
      ["sending", "sent", "paused", "testing", "failed"].includes(status) && {
        key: "retry",
        label: t("campaigns.run.retry"),
        onClick: ask("retry"),
      },
    ["scheduled", "sending", "testing", "paused"].includes(status) && {
      key: "cancel",
      label: t("campaigns.run.cancel"),
      tone: "danger-quiet",
      onClick: ask("cancel"),
    },
    (status === "sent" || status === "cancelled" || status === "failed") && {
      key: "delete",
      label: removeLabel(removal),
      tone: "danger-quiet",
      onClick: ask("delete"),
    },
  ];
  const actions = offered.filter((action) => action !== false);
  if (actions.length === 0) return null;
  const close = () => (confirm.value = null);

  return (
    <div class="campaign-actions" data-testid="campaign-actions">
      <ActionButtons actions={actions} disabled={busy.value} />
      <ErrorBanner error={failure.value} />
      {confirm.value === "reschedule" && (
        <ScheduleDialog
          campaign={campaign}
          onClose={close}
          onScheduled={(scheduled) => {
            onChanged(scheduled);
            notify(t("campaigns.run.rescheduled"));
          }}
        />
      )}
      {confirm.value === "cancel" && (
        <ConfirmDialog
          title={t("campaigns.run.cancelTitle")}
          confirmLabel={t("campaigns.run.cancel")}
          onClose={close}
          onConfirm={async () => {
            onChanged(await campaignsApi.cancel(campaign.id));
            notify(t("campaigns.run.cancelled"));
          }}
        >
          <p>
            <Trans k="campaigns.run.cancelText" parts={[() => <strong>{campaign.name}</strong>]} />
          </p>
        </ConfirmDialog>
      )}
      {confirm.value === "retry" && (
        <ConfirmDialog
          title={t("campaigns.run.retryTitle")}
          confirmLabel={t("campaigns.run.retry")}
          onClose={close}
          onConfirm={async () => {
            onChanged(await campaignsApi.retry(campaign.id));
            notify(t("campaigns.run.retried"));
          }}
        >
          <p>{t("campaigns.run.retryText", { count: failed, n: formatNumber(failed) })}</p>
        </ConfirmDialog>
      )}
      {confirm.value === "delete" && (
        <RemoveCampaignDialog campaign={campaign} removal={removal} onClose={close} />
      )}
    </div>
  );
}

import { useSignal } from "@preact/signals";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { ActionButtons } from "../../components/action-buttons";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorBanner } from "../../components/error-banner";
import { useToast } from "../../components/toast";
import { formatNumber, formatPercent } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { RemoveCampaignDialog, removeLabel } from "./remove-dialog";
import { ScheduleDialog } from "./schedule-dialog";
import { TestDialog } from "./test-dialog";

type Open = "test" | "schedule" | "send" | "delete" | null;

interface DraftActionsProps {
  campaign: Campaign;
  /** Saves unsaved changes first; null when that failed (the form shows why). */
  ensureSaved: () => Promise<Campaign | null>;
  onChanged: (campaign: Campaign) => void;
}

/** What a saved draft can do next: a test, a schedule, sending now, or going away. */
export function DraftActions({ campaign, ensureSaved, onChanged }: DraftActionsProps) {
  const notify = useToast();
  const open = useSignal<Open>(null);
  const count = useSignal<number | null>(null);
  const failure = useSignal<unknown>(null);
  const preparing = useSignal(false);

  const start = async (dialog: Exclude<Open, null>) => {
    if (preparing.value) return;
    preparing.value = true;
    failure.value = null;
    try {
      const saved = dialog === "delete" ? campaign : await ensureSaved();
      if (!saved) return;
      if (dialog === "send") {
        count.value = null;
        count.value = (await campaignsApi.audience(saved.id)).count;
      }
      open.value = dialog;
    } catch (caught) {
      failure.value = caught;
    } finally {
      preparing.value = false;
    }
  };
  const close = () => (open.value = null);

  return (
    <section class="card campaign-section" aria-labelledby="campaign-next-title">
      <h2 id="campaign-next-title">{t("campaigns.draftActions.title")}</h2>
      <p class="muted">{t("campaigns.draftActions.savedFirst")}</p>
      <div class="campaign-actions">
        <ActionButtons
          disabled={preparing.value}
          actions={[
            { key: "test", label: t("campaigns.draftActions.test"), onClick: () => start("test") },
            {
              key: "schedule",
              label: t("campaigns.draftActions.schedule"),
              onClick: () => start("schedule"),
            },
            {
              key: "send",
              label: t("campaigns.draftActions.sendNow"),
              tone: "primary",
              onClick: () => start("send"),
            },
            {
              key: "delete",
              label: removeLabel("draft"),
              tone: "danger-quiet",
              class: "campaign-actions__end",
              onClick: () => start("delete"),
            },
          ]}
        />
      </div>
      <ErrorBanner error={failure.value} />
      {open.value === "test" && <TestDialog campaign={campaign} onClose={close} />}
      {open.value === "schedule" && (
        <ScheduleDialog
          campaign={campaign}
          onClose={close}
          onScheduled={(scheduled) => {
            notify(t("campaigns.draftActions.scheduled"));
            onChanged(scheduled);
          }}
        />
      )}
      {open.value === "send" && (
        <ConfirmDialog
          title={t("campaigns.draftActions.confirmTitle")}
          confirmLabel={t("campaigns.draftActions.confirm")}
          onClose={close}
          onConfirm={async () => {
            onChanged(await campaignsApi.send(campaign.id));
            notify(t("campaigns.draftActions.started"));
          }}
        >
          <p data-testid="send-now-count">
            <Trans
              k={campaign.abTest ? "campaigns.draftActions.goesToAb" : "campaigns.draftActions.goesTo"}
              values={{
                count: count.value ?? 0,
                n: formatNumber(count.value ?? 0),
                percent: formatPercent((campaign.abTest?.testPercent ?? 0) / 100, 2),
              }}
              parts={[() => <strong>{campaign.name}</strong>, (text) => <strong>{text}</strong>]}
            />
          </p>
          <p class="muted">{t("campaigns.draftActions.final")}</p>
        </ConfirmDialog>
      )}
      {open.value === "delete" && (
        <RemoveCampaignDialog campaign={campaign} removal="draft" onClose={close} />
      )}
    </section>
  );
}

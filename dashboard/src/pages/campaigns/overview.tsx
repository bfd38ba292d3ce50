import { useSignal } from "@preact/signals";
import type { Campaign } from "../../api/campaigns";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { formatDateTime, formatNumber } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { DeliveryProblems } from "./delivery-problems";
import { Engagement } from "./engagement";
import { useLiveCampaign } from "./live";
import { LocalTimeScheduled, ZoneProgressCard } from "./local-time";
import { CampaignProgress } from "./progress";
import { RunActions } from "./run-actions";
import { SendLog } from "./send-log";
import { CampaignStatusBadge, hasStarted } from "./status";
import { VariantResults } from "./variants";
import { formatInZone, formatScheduled } from "./zoned-format";

interface OverviewProps {
  campaign: Campaign;
  onChanged: (campaign: Campaign) => void;
}

/** A campaign past its draft: state, live progress, engagement, A/B results and the send log. */
export function CampaignOverview({ campaign, onChanged }: OverviewProps) {
  const live = useLiveCampaign(campaign, onChanged);
  const retried = useSignal(0);
  const stats = live.stats.value;
  const started = hasStarted(campaign);
  const changed = (next: Campaign) => {
    onChanged(next);
    live.refresh();
  };

  return (
    <Page
      title={campaign.name}
      intro={
        <>
          <CampaignStatusBadge status={campaign.status} /> <When campaign={campaign} />
        </>
      }
      actions={
        <>
          {started && (
            <a class="button" href={`/analytics/campaigns/${encodeURIComponent(campaign.id)}`}>
              {t("campaigns.report")}
            </a>
          )}
          <a class="button" href="/campaigns">
            {t("campaigns.all")}
          </a>
        </>
      }
    >
      {campaign.pausedReason && (campaign.status === "paused" || campaign.status === "scheduled") && (
        <div class="banner banner--warning" role="alert" data-testid="paused-reason">
          <div>
            <strong>
              {t(
                campaign.status === "paused" ? "campaigns.overview.paused" : "campaigns.overview.notStarted",
              )}{" "}
            </strong>
            {campaign.pausedReason}
          </div>
        </div>
      )}
      {campaign.status === "failed" && (
        <div class="banner banner--error" role="alert" data-testid="failure-reason">
          <div>
            <strong>{t("campaigns.overview.failed")} </strong>
            {campaign.failureReason ?? t("campaigns.overview.noneAccepted")}{" "}
            {t("campaigns.overview.fixThenRetry")}
          </div>
        </div>
      )}
      {campaign.status === "cancelled" && started && (
        <div class="banner banner--warning" role="note" data-testid="cancelled-skipped">
          <div>
            <strong>{t("campaigns.overview.cancelled")} </strong>
            {t("campaigns.overview.skipped", {
              n: formatNumber(stats?.skipped ?? 0),
              status: t("campaigns.sendStatus.skipped"),
            })}
          </div>
        </div>
      )}
      {campaign.archivedAt && (
        <div class="banner" data-testid="archived">
          <div>
            <strong>
              {t("campaigns.overview.archived", { date: formatDateTime(campaign.archivedAt) })}{" "}
            </strong>
            {t("campaigns.overview.archivedNote")}
          </div>
        </div>
      )}
      <ErrorBanner error={live.error.value} onRetry={live.refresh} />
      <RunActions
        campaign={campaign}
        failed={stats?.failed ?? campaign.failedCount}
        onChanged={(next) => {
          changed(next);
          retried.value++;
        }}
      />
      {campaign.status === "scheduled" && campaign.sendAt && <Scheduled campaign={campaign} />}
      {started && <CampaignProgress campaign={campaign} stats={stats} />}
      {started && campaign.localTime && <ZoneProgressCard stats={stats} />}
      {campaign.variants.length > 0 && <VariantResults campaign={campaign} stats={stats} />}
      {started && stats && <Engagement stats={stats} />}
      {started && (
        <DeliveryProblems
          campaign={campaign}
          tick={live.tick.value}
          retried={retried.value}
          onRetried={changed}
        />
      )}
      {started && <SendLog campaign={campaign} tick={live.tick.value} />}
    </Page>
  );
}

/** The one time that matters for the status, in words. */
function When({ campaign }: { campaign: Campaign }) {
  switch (campaign.status) {
    case "scheduled":
      return (
        <span>
          {t("campaigns.when.scheduledFor", { date: formatScheduled(campaign.sendAt, campaign.timezone) })}
        </span>
      );
    case "sent":
      return (
        <span>
          {t("campaigns.when.sent", { date: formatDateTime(campaign.finishedAt ?? campaign.startedAt) })}
        </span>
      );
    case "cancelled":
      return <span>{t("campaigns.when.cancelled", { date: formatDateTime(campaign.finishedAt) })}</span>;
    case "failed":
      return <span>{t("campaigns.when.failed", { date: formatDateTime(campaign.finishedAt) })}</span>;
    default:
      return campaign.startedAt ? (
        <span>{t("campaigns.when.started", { date: formatDateTime(campaign.startedAt) })}</span>
      ) : null;
  }
}

function Scheduled({ campaign }: { campaign: Campaign }) {
  const at = Date.parse(campaign.sendAt ?? "");
  const zone = campaign.timezone;
  return (
    <section class="card" aria-labelledby="scheduled-title">
      <h2 id="scheduled-title">{t("campaigns.overview.scheduled")}</h2>
      {campaign.localTime ? (
        <LocalTimeScheduled campaign={campaign} />
      ) : (
        <>
          <p data-testid="scheduled-at">
            <Trans
              k={zone ? "campaigns.overview.sendsIn" : "campaigns.overview.sends"}
              values={{ at: formatInZone(at, zone ?? undefined), zone }}
              parts={[(text) => <strong>{text}</strong>]}
            />
          </p>
          <p class="muted" data-testid="scheduled-local">
            {t("campaigns.overview.yourTime", { at: formatInZone(at) })}
          </p>
        </>
      )}
      <p class="muted">{t("campaigns.overview.untilThen")}</p>
    </section>
  );
}

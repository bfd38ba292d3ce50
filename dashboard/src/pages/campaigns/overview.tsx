import { useSignal } from "@preact/signals";
import type { Campaign } from "../../api/campaigns";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { formatDateTime } from "../../format";
import { DeliveryProblems } from "./delivery-problems";
import { Engagement } from "./engagement";
import { useLiveCampaign } from "./live";
import { LocalTimeScheduled, ZoneProgressCard } from "./local-time";
import { CampaignProgress } from "./progress";
import { RunActions } from "./run-actions";
import { SendLog } from "./send-log";
import { CampaignStatusBadge, hasStarted } from "./status";
import { VariantResults } from "./variants";
import { formatInZone, formatScheduled } from "./zoned-time";

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
              Report
            </a>
          )}
          <a class="button" href="/campaigns">
            All campaigns
          </a>
        </>
      }
    >
      {campaign.pausedReason && (campaign.status === "paused" || campaign.status === "scheduled") && (
        <div class="banner banner--warning" role="alert" data-testid="paused-reason">
          <div>
            <strong>{campaign.status === "paused" ? "Paused. " : "Not started. "}</strong>
            {campaign.pausedReason}
          </div>
        </div>
      )}
      {campaign.status === "failed" && (
        <div class="banner banner--error" role="alert" data-testid="failure-reason">
          <div>
            <strong>Failed. </strong>
            {campaign.failureReason ?? "No message was accepted."} Fix the cause, then retry the failed sends.
          </div>
        </div>
      )}
      {campaign.status === "cancelled" && started && (
        <div class="banner banner--warning" role="note" data-testid="cancelled-skipped">
          <div>
            <strong>Cancelled. </strong>
            {(stats?.skipped ?? 0).toLocaleString()} recipients were skipped and never sent to (status
            "skipped" in the send log below).
          </div>
        </div>
      )}
      {campaign.archivedAt && (
        <div class="banner" data-testid="archived">
          <div>
            <strong>Archived {formatDateTime(campaign.archivedAt)}. </strong>
            Kept as a record: its figures and send log stay, and it can no longer be changed.
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
      return <span>Scheduled for {formatScheduled(campaign.sendAt, campaign.timezone)}</span>;
    case "sent":
      return <span>Sent {formatDateTime(campaign.finishedAt ?? campaign.startedAt)}</span>;
    case "cancelled":
      return <span>Cancelled {formatDateTime(campaign.finishedAt)}</span>;
    case "failed":
      return <span>Failed {formatDateTime(campaign.finishedAt)}</span>;
    default:
      return campaign.startedAt ? <span>Started {formatDateTime(campaign.startedAt)}</span> : null;
  }
}

function Scheduled({ campaign }: { campaign: Campaign }) {
  const at = Date.parse(campaign.sendAt ?? "");
  const zone = campaign.timezone;
  return (
    <section class="card" aria-labelledby="scheduled-title">
      <h2 id="scheduled-title">Scheduled</h2>
      {campaign.localTime ? (
        <LocalTimeScheduled campaign={campaign} />
      ) : (
        <>
          <p data-testid="scheduled-at">
            Sends <strong>{formatInZone(at, zone ?? undefined)}</strong>
            {zone ? ` in ${zone}` : ""}.
          </p>
          <p class="muted" data-testid="scheduled-local">
            That is {formatInZone(at)} your time.
          </p>
        </>
      )}
      <p class="muted">Until then it can be unscheduled (back to a draft) or cancelled.</p>
    </section>
  );
}

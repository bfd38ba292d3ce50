import type { Campaign, CampaignStats } from "../../api/campaigns";
import { ProgressBar } from "../../components/progress-bar";
import { formatDateTime } from "../../format";
import { isLive } from "./status";

interface ProgressProps {
  campaign: Campaign;
  stats: CampaignStats | null;
}

/** How far the send has got: a bar over the audience and the counts behind it, updated while live. */
export function CampaignProgress({ campaign, stats }: ProgressProps) {
  const audience = campaign.audienceSize;
  const done = campaign.sentCount + campaign.failedCount + campaign.bounceCount;
  const preparing = audience === null;
  const counts = [
    ["audience", "Audience", audience ?? stats?.audience ?? 0],
    ["sent", "Sent", campaign.sentCount],
    ["failed", "Failed", campaign.failedCount],
    ["bounced", "Bounced", Math.max(campaign.bounceCount, stats?.bounces ?? 0)],
    ["queued", "Queued", stats?.queued ?? Math.max(0, (audience ?? 0) - done)],
    ...(stats?.skipped ? ([["skipped", "Skipped", stats.skipped]] as const) : []),
  ] as const;
  return (
    <section class="card" aria-labelledby="progress-title">
      <div class="campaign-card__head">
        <h2 id="progress-title">Progress</h2>
        {isLive(campaign.status) && <span class="muted">Updating every 2 seconds…</span>}
      </div>
      <ProgressBar
        label="Sending progress"
        value={done}
        max={audience ?? 0}
        indeterminate={preparing && isLive(campaign.status)}
        text={
          preparing
            ? "Preparing the audience…"
            : `${done.toLocaleString()} of ${(audience ?? 0).toLocaleString()} processed (${
                audience ? Math.floor((Math.min(done, audience) / audience) * 100) : 100
              }%)`
        }
      />
      <dl class="stat-grid" data-testid="campaign-progress">
        {counts.map(([key, label, value]) => (
          <div key={key} class={`stat stat--${key}${value > 0 ? " is-nonzero" : ""}`}>
            <dt>{label}</dt>
            <dd data-testid={`progress-${key}`}>{value.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">
        {campaign.startedAt && `Started ${formatDateTime(campaign.startedAt)}`}
        {campaign.finishedAt && `, finished ${formatDateTime(campaign.finishedAt)}`}
      </p>
    </section>
  );
}

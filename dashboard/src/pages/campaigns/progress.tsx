import type { Campaign, CampaignStats } from "../../api/campaigns";
import { ProgressBar } from "../../components/progress-bar";
import { formatDateTime, formatNumber, formatPercent } from "../../format";
import { t } from "../../i18n";
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
    ["audience", audience ?? stats?.audience ?? 0],
    ["sent", campaign.sentCount],
    ["failed", campaign.failedCount],
    ["bounced", Math.max(campaign.bounceCount, stats?.bounces ?? 0)],
    ["queued", stats?.queued ?? Math.max(0, (audience ?? 0) - done)],
    ...(stats?.skipped ? ([["skipped", stats.skipped]] as const) : []),
  ] as const;
  return (
    <section class="card" aria-labelledby="progress-title">
      <div class="campaign-card__head">
        <h2 id="progress-title">{t("campaigns.progress.title")}</h2>
        {isLive(campaign.status) && <span class="muted">{t("campaigns.progress.updating")}</span>}
      </div>
      <ProgressBar
        label={t("campaigns.progress.label")}
        value={done}
        max={audience ?? 0}
        indeterminate={preparing && isLive(campaign.status)}
        text={
          preparing
            ? t("campaigns.progress.preparing")
            : t("campaigns.progress.processed", {
                done: formatNumber(done),
                total: formatNumber(audience ?? 0),
                percent: formatPercent(
                  audience ? Math.floor((Math.min(done, audience) / audience) * 100) / 100 : 1,
                  0,
                ),
              })
        }
      />
      <dl class="stat-grid" data-testid="campaign-progress">
        {counts.map(([key, value]) => (
          // i18n-ignore (a class name)
          <div key={key} class={`stat stat--${key}${value > 0 ? " is-nonzero" : ""}`}>
            <dt>{t(`campaigns.progress.${key}`)}</dt>
            <dd data-testid={`progress-${key}`}>{formatNumber(value)}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">
        {campaign.startedAt &&
          t(campaign.finishedAt ? "campaigns.progress.startedFinished" : "campaigns.when.started", {
            date: formatDateTime(campaign.startedAt),
            finished: formatDateTime(campaign.finishedAt),
          })}
      </p>
    </section>
  );
}

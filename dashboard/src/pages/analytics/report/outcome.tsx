import type { ReportCampaign, ReportStats } from "../../../api/analytics";
import { t } from "../../../i18n";
import { formatCount } from "../numbers";

/**
 * What a report's figures cannot say by themselves: a cancelled campaign's recipients who were
 * never sent to, and a failed one whose every message failed (with the most frequent error).
 */
export function Outcome({
  campaign,
  stats,
}: {
  campaign: ReportCampaign;
  stats: ReportStats | null | undefined;
}) {
  if (campaign.status === "failed") {
    const failed = stats?.failed ?? campaign.failedCount;
    return (
      <div class="banner banner--error" role="alert" data-testid="report-outcome">
        <div>
          <strong>{t("analytics.outcome.noneSent")} </strong>
          {failed > 0
            ? t("analytics.outcome.allFailed", { count: failed, n: formatCount(failed) })
            : t("analytics.outcome.everyFailed")}
          {campaign.failureReason
            ? t("analytics.outcome.reason", { reason: campaign.failureReason })
            : t("analytics.outcome.stop")}{" "}
          {t("analytics.outcome.retry")}
        </div>
      </div>
    );
  }
  if (campaign.status !== "cancelled") return null;
  const skipped = stats?.skipped ?? 0;
  return (
    <div class="banner banner--warning" role="note" data-testid="report-outcome">
      <div>
        <strong>{t("analytics.outcome.cancelled")} </strong>
        {campaign.startedAt === null
          ? t("analytics.outcome.cancelledBefore")
          : t("analytics.outcome.cancelledAfter", {
              sent: formatCount(stats?.sent ?? campaign.sentCount),
              count: skipped,
              n: formatCount(skipped),
            })}
      </div>
    </div>
  );
}

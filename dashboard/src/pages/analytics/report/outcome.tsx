import type { ReportCampaign, ReportStats } from "../../../api/analytics";
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
          <strong>No message was sent. </strong>
          {failed > 0 ? `All ${formatCount(failed)} messages failed` : "Every message failed"}
          {campaign.failureReason ? `: ${campaign.failureReason}` : "."} Retry the failed sends from the
          campaign's page once the cause is fixed.
        </div>
      </div>
    );
  }
  if (campaign.status !== "cancelled") return null;
  const skipped = stats?.skipped ?? 0;
  return (
    <div class="banner banner--warning" role="note" data-testid="report-outcome">
      <div>
        <strong>Cancelled. </strong>
        {campaign.startedAt === null
          ? "It was cancelled before sending started: nobody was sent to."
          : `${formatCount(stats?.sent ?? campaign.sentCount)} sent before the cancel; ${formatCount(skipped)} ${
              skipped === 1 ? "recipient was" : "recipients were"
            } skipped and never sent to. The figures below are about the messages sent.`}
      </div>
    </div>
  );
}

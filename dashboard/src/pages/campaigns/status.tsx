import type { Campaign, CampaignStatus, SendStatus } from "../../api/campaigns";
import { t } from "../../i18n";

const CAMPAIGN_TONES: Record<CampaignStatus, string> = {
  draft: "badge badge--muted",
  scheduled: "badge badge--admin",
  testing: "badge badge--owner",
  sending: "badge badge--admin",
  paused: "badge badge--warning",
  sent: "badge badge--ok",
  cancelled: "badge badge--danger",
  failed: "badge badge--danger",
};

const SEND_TONES: Record<SendStatus, string> = {
  queued: "badge badge--muted",
  sending: "badge badge--admin",
  sent: "badge badge--ok",
  failed: "badge badge--danger",
  bounced: "badge badge--warning",
  skipped: "badge badge--muted",
};

/** A campaign's status, coloured by where it is in its life. */
export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return (
    <span class={CAMPAIGN_TONES[status]} data-testid="campaign-status">
      {campaignStatusLabel(status)}
    </span>
  );
}

/** One recipient's send status in the log. */
export function SendStatusBadge({ status }: { status: SendStatus }) {
  return <span class={SEND_TONES[status]}>{t(`campaigns.sendStatus.${status}`)}</span>;
}

/** A campaign status in words ("sent", "verschickt"). */
export function campaignStatusLabel(status: CampaignStatus | string): string {
  return t(`campaigns.status.${status}`);
}

/** Statuses in which the numbers still move, so the page polls. */
export function isLive(status: CampaignStatus): boolean {
  return status === "sending" || status === "testing";
}

/** Whether sending ever began (a send log and counters exist), even if it was cancelled since. */
export function hasStarted(campaign: Campaign): boolean {
  return campaign.startedAt !== null || campaign.audienceSize !== null;
}

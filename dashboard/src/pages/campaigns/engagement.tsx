import type { CampaignStats } from "../../api/campaigns";
import { formatNumber, formatPercent } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";

/** "12.5%" from a 0–1 rate, in the dashboard's language. */
export function percent(rate: number): string {
  return formatPercent(rate);
}

/** Opens, clicks, bounces and the rest, human engagement only; machine opens are shown apart. */
export function Engagement({ stats }: { stats: CampaignStats }) {
  const inAll = (rate: number, total: number) =>
    t("campaigns.engagement.inAll", { rate: percent(rate), total: formatNumber(total) });
  const items = [
    ["delivered", t("campaigns.engagement.delivered"), formatNumber(stats.delivered), null],
    [
      "opens",
      t("campaigns.engagement.uniqueOpens"),
      formatNumber(stats.uniqueOpens),
      inAll(stats.openRate, stats.opens),
    ],
    [
      "clicks",
      t("campaigns.engagement.uniqueClicks"),
      formatNumber(stats.uniqueClicks),
      inAll(stats.clickRate, stats.clicks),
    ],
    ["bounces", t("campaigns.engagement.bounces"), formatNumber(stats.bounces), percent(stats.bounceRate)],
    ["complaints", t("campaigns.engagement.complaints"), formatNumber(stats.complaints), null],
    ["unsubscribes", t("campaigns.engagement.unsubscribes"), formatNumber(stats.unsubscribes), null],
  ] as const;
  return (
    <section class="card" aria-labelledby="engagement-title">
      <h2 id="engagement-title">{t("campaigns.engagement.title")}</h2>
      <dl class="stat-grid" data-testid="campaign-engagement">
        {items.map(([key, label, value, note]) => (
          <div key={key} class="stat">
            <dt>{label}</dt>
            <dd data-testid={`engagement-${key}`}>{value}</dd>
            {note && <dd class="stat__note">{note}</dd>}
          </div>
        ))}
      </dl>
      <p class="muted engagement-machine" data-testid="engagement-machine">
        <Trans
          k="campaigns.engagement.machine"
          values={{ n: formatNumber(stats.machineOpens) }}
          parts={[(text) => <strong>{text}</strong>]}
        />
      </p>
    </section>
  );
}

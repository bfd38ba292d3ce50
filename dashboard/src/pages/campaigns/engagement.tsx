import type { CampaignStats } from "../../api/campaigns";

/** "12.5%" from a 0–1 rate. */
export function percent(rate: number): string {
  return `${(rate * 100).toLocaleString(undefined, { maximumFractionDigits: 1 })}%`;
}

/** Opens, clicks, bounces and the rest, human engagement only; machine opens are shown apart. */
export function Engagement({ stats }: { stats: CampaignStats }) {
  const items = [
    ["delivered", "Delivered", stats.delivered.toLocaleString(), null],
    [
      "opens",
      "Unique opens",
      stats.uniqueOpens.toLocaleString(),
      `${percent(stats.openRate)} · ${stats.opens.toLocaleString()} in all`,
    ],
    [
      "clicks",
      "Unique clicks",
      stats.uniqueClicks.toLocaleString(),
      `${percent(stats.clickRate)} · ${stats.clicks.toLocaleString()} in all`,
    ],
    ["bounces", "Bounces", stats.bounces.toLocaleString(), percent(stats.bounceRate)],
    ["complaints", "Complaints", stats.complaints.toLocaleString(), null],
    ["unsubscribes", "Unsubscribes", stats.unsubscribes.toLocaleString(), null],
  ] as const;
  return (
    <section class="card" aria-labelledby="engagement-title">
      <h2 id="engagement-title">Engagement</h2>
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
        Machine opens: <strong>{stats.machineOpens.toLocaleString()}</strong>. Opens by mail privacy proxies
        and security scanners (Apple Mail Privacy Protection, link checkers) are not counted above. Rates are
        over the messages sent.
      </p>
    </section>
  );
}

import type { ReportStats } from "../../../api/analytics";
import { SplitBar } from "../../../components/charts";
import { ErrorBanner } from "../../../components/error-banner";
import type { Resource } from "../../../hooks/use-resource";
import { type Kpi, KpiGrid } from "../kpis";
import { formatCount, formatPercent, ratio } from "../numbers";

/** The report's headline figures, then human and machine opens side by side with what they mean. */
export function Headline({ stats }: { stats: Resource<ReportStats> }) {
  const s = stats.data.value;
  return (
    <section class="report-headline" aria-labelledby="report-headline" aria-busy={stats.loading.value}>
      <h2 id="report-headline" class="visually-hidden">
        Headline figures
      </h2>
      <ErrorBanner error={stats.error.value} onRetry={stats.reload} />
      {s ? (
        <>
          <KpiGrid items={headline(s)} />
          <OpensCompare stats={s} />
        </>
      ) : (
        stats.loading.value && <p class="muted">Loading…</p>
      )}
    </section>
  );
}

function headline(s: ReportStats): Kpi[] {
  const ofSent = (n: number) => `${formatPercent(ratio(n, s.sent))} of sent`;
  return [
    {
      key: "audience",
      label: "Audience",
      value: formatCount(s.audience),
      detail: s.queued > 0 ? `${formatCount(s.queued)} still queued` : "After suppressions and duplicates",
    },
    { key: "sent", label: "Sent", value: formatCount(s.sent), detail: `${formatCount(s.failed)} failed` },
    { key: "delivered", label: "Delivered", value: formatCount(s.delivered), detail: ofSent(s.delivered) },
    {
      key: "unique-opens",
      label: "Unique opens",
      value: formatCount(s.uniqueOpens),
      detail: `${formatPercent(s.openRate)} open rate · ${formatCount(s.opens)} opens in all`,
    },
    {
      key: "unique-clicks",
      label: "Unique clicks",
      value: formatCount(s.uniqueClicks),
      detail: `${formatPercent(s.clickRate)} click rate · ${formatCount(s.clicks)} clicks in all`,
    },
    {
      key: "click-to-open",
      label: "Click-to-open rate",
      value: formatPercent(ratio(s.uniqueClicks, s.uniqueOpens)),
      detail: `${formatCount(s.uniqueClicks)} of ${formatCount(s.uniqueOpens)} who opened`,
    },
    {
      key: "bounces",
      label: "Bounces",
      value: formatCount(s.bounces),
      detail: `${formatPercent(s.bounceRate)} bounce rate`,
    },
    {
      key: "complaints",
      label: "Complaints",
      value: formatCount(s.complaints),
      detail: ofSent(s.complaints),
    },
    {
      key: "unsubscribes",
      label: "Unsubscribes",
      value: formatCount(s.unsubscribes),
      detail: ofSent(s.unsubscribes),
    },
  ];
}

/** People's opens against machine opens, with why the second never counts in a rate. */
function OpensCompare({ stats: s }: { stats: ReportStats }) {
  const total = s.opens + s.machineOpens;
  return (
    <section class="card opens-compare" aria-labelledby="report-opens">
      <h3 id="report-opens">Opens by people and by machines</h3>
      <dl class="opens-compare__sides">
        <div class="opens-compare__side">
          <dt>Opens by people</dt>
          <dd class="opens-compare__value" data-testid="human-opens">
            {formatCount(s.opens)}
          </dd>
          <dd class="muted">
            {formatCount(s.uniqueOpens)} {s.uniqueOpens === 1 ? "person" : "people"} · counted in the open
            rate
          </dd>
        </div>
        <div class="opens-compare__side opens-compare__side--machine">
          <dt>Machine opens</dt>
          <dd class="opens-compare__value" data-testid="machine-opens">
            {formatCount(s.machineOpens)}
          </dd>
          <dd class="muted">
            {total > 0 ? `${formatPercent(ratio(s.machineOpens, total))} of all opens` : "None"} · never
            counted in a rate
          </dd>
        </div>
      </dl>
      <SplitBar
        label={`${formatCount(s.opens)} opens by people, ${formatCount(s.machineOpens)} machine opens`}
        parts={[
          { key: "people", value: s.opens, tone: "blue" },
          { key: "machines", value: s.machineOpens, tone: "gray" },
        ]}
      />
      <p class="muted opens-compare__note">
        Machine opens are fetches of the tracking image that no person made: Apple Mail Privacy Protection
        loads the images of every message it receives, Gmail's and Yahoo's image proxies fetch on the reader's
        behalf, and security scanners check mail on arrival. They happen whether or not anyone reads the
        message, so they are shown here apart and left out of opens, unique opens and every rate.
      </p>
    </section>
  );
}

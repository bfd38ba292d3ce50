import type { ComponentChildren } from "preact";
import type { Overview } from "../../api/analytics";
import { formatCount, formatPercent } from "./numbers";

/** One headline figure: what it is, the number, and the count behind a rate. */
export interface Kpi {
  /** Names the figure in tests: `kpi-<key>` on the value. */
  key: string;
  label: string;
  value: string;
  detail?: ComponentChildren;
}

/** Headline figures as a row of cards (a description list: label, value, detail). */
export function KpiGrid({ items }: { items: Kpi[] }) {
  return (
    <dl class="kpis">
      {items.map((kpi) => (
        <div key={kpi.key} class="kpi card">
          <dt class="kpi__label">{kpi.label}</dt>
          <dd class="kpi__value" data-testid={`kpi-${kpi.key}`}>
            {kpi.value}
          </dd>
          {kpi.detail && <dd class="kpi__detail muted">{kpi.detail}</dd>}
        </div>
      ))}
    </dl>
  );
}

/** The six figures of the home page: sent, open, click and bounce rates, unsubscribes, sign-ups. */
export function homeKpis(o: Overview): Kpi[] {
  return [
    { key: "sent", label: "Sent", value: formatCount(o.sent), detail: campaignsText(o.campaigns) },
    openKpi(o),
    clickKpi(o),
    bounceKpi(o),
    {
      key: "unsubscribes",
      label: "Unsubscribes",
      value: formatCount(o.unsubscribes),
      detail: `${formatPercent(o.unsubscribeRate)} of sent`,
    },
    {
      key: "new-subscribers",
      label: "New subscribers",
      value: formatCount(o.newSubscribers),
      detail: `${formatCount(o.activeSubscribers)} active in all`,
    },
  ];
}

/** Every figure of a range, for the analytics page. */
export function rangeKpis(o: Overview): Kpi[] {
  return [
    { key: "sent", label: "Sent", value: formatCount(o.sent), detail: campaignsText(o.campaigns) },
    deliveredKpi(o),
    openKpi(o),
    clickKpi(o),
    {
      key: "click-to-open",
      label: "Click-to-open rate",
      value: formatPercent(o.clickToOpenRate),
      detail: `${formatCount(o.uniqueClicks)} of ${formatCount(o.uniqueOpens)} who opened`,
    },
    {
      key: "machine-opens",
      label: "Machine opens",
      value: formatCount(o.machineOpens),
      detail: "Privacy proxies and scanners; not in the open rate",
    },
    bounceKpi(o),
    {
      key: "complaints",
      label: "Complaint rate",
      value: formatPercent(o.complaintRate),
      detail: `${formatCount(o.complaints)} marked as spam`,
    },
    {
      key: "unsubscribes",
      label: "Unsubscribes",
      value: formatCount(o.unsubscribes),
      detail: `${formatPercent(o.unsubscribeRate)} of sent`,
    },
    {
      key: "new-subscribers",
      label: "New subscribers",
      value: formatCount(o.newSubscribers),
      detail: `${formatCount(o.activeSubscribers)} active in all`,
    },
  ];
}

const campaignsText = (n: number) => (n === 1 ? "from 1 campaign" : `from ${formatCount(n)} campaigns`);

/** Delivered comes only from the relay's delivery reports: without any, it is unknown, not zero. */
const deliveredKpi = (o: Overview): Kpi =>
  o.delivered === 0 && o.sent > 0
    ? {
        key: "delivered",
        label: "Delivered",
        value: "—",
        detail: `No delivery reports from the relay; ${formatCount(o.failed)} failed`,
      }
    : {
        key: "delivered",
        label: "Delivered",
        value: formatCount(o.delivered),
        detail: `${formatCount(o.failed)} failed`,
      };

const openKpi = (o: Overview): Kpi => ({
  key: "open-rate",
  label: "Unique open rate",
  value: formatPercent(o.openRate),
  detail: `${formatCount(o.uniqueOpens)} of ${formatCount(o.sent)} opened`,
});

const clickKpi = (o: Overview): Kpi => ({
  key: "click-rate",
  label: "Unique click rate",
  value: formatPercent(o.clickRate),
  detail: `${formatCount(o.uniqueClicks)} of ${formatCount(o.sent)} clicked`,
});

const bounceKpi = (o: Overview): Kpi => ({
  key: "bounce-rate",
  label: "Bounce rate",
  value: formatPercent(o.bounceRate),
  detail: `${formatCount(o.bounces)} bounced`,
});

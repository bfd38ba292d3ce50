import type { ComponentChildren } from "preact";
import type { Overview } from "../../api/analytics";
import { t } from "../../i18n";
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
    {
      key: "sent",
      label: t("analytics.sent"),
      value: formatCount(o.sent),
      detail: campaignsText(o.campaigns),
    },
    openKpi(o),
    clickKpi(o),
    bounceKpi(o),
    {
      key: "unsubscribes",
      label: t("analytics.unsubscribes"),
      value: formatCount(o.unsubscribes),
      detail: t("analytics.kpi.ofSent", { rate: formatPercent(o.unsubscribeRate) }),
    },
    {
      key: "new-subscribers",
      label: t("analytics.kpi.newSubscribers"),
      value: formatCount(o.newSubscribers),
      detail: t("analytics.kpi.activeInAll", { n: formatCount(o.activeSubscribers) }),
    },
  ];
}

/** Every figure of a range, for the analytics page. */
export function rangeKpis(o: Overview): Kpi[] {
  return [
    {
      key: "sent",
      label: t("analytics.sent"),
      value: formatCount(o.sent),
      detail: campaignsText(o.campaigns),
    },
    deliveredKpi(o),
    openKpi(o),
    clickKpi(o),
    {
      key: "click-to-open",
      label: t("analytics.kpi.clickToOpen"),
      value: formatPercent(o.clickToOpenRate),
      detail: t("analytics.kpi.ofWhoOpened", {
        n: formatCount(o.uniqueClicks),
        total: formatCount(o.uniqueOpens),
      }),
    },
    {
      key: "machine-opens",
      label: t("analytics.machineOpens"),
      value: formatCount(o.machineOpens),
      detail: t("analytics.kpi.machineOpensDetail"),
    },
    bounceKpi(o),
    {
      key: "complaints",
      label: t("analytics.kpi.complaintRate"),
      value: formatPercent(o.complaintRate),
      detail: t("analytics.kpi.markedAsSpam", { n: formatCount(o.complaints) }),
    },
    {
      key: "unsubscribes",
      label: t("analytics.unsubscribes"),
      value: formatCount(o.unsubscribes),
      detail: t("analytics.kpi.ofSent", { rate: formatPercent(o.unsubscribeRate) }),
    },
    {
      key: "new-subscribers",
      label: t("analytics.kpi.newSubscribers"),
      value: formatCount(o.newSubscribers),
      detail: t("analytics.kpi.activeInAll", { n: formatCount(o.activeSubscribers) }),
    },
  ];
}

const campaignsText = (n: number) => t("analytics.kpi.fromCampaigns", { count: n, n: formatCount(n) });

/** Delivered comes only from the relay's delivery reports: without any, it is unknown, not zero. */
const deliveredKpi = (o: Overview): Kpi =>
  o.delivered === 0 && o.sent > 0
    ? {
        key: "delivered",
        label: t("analytics.delivered"),
        value: "—",
        detail: t("analytics.kpi.noDeliveryReports", { n: formatCount(o.failed) }),
      }
    : {
        key: "delivered",
        label: t("analytics.delivered"),
        value: formatCount(o.delivered),
        detail: t("analytics.kpi.failed", { n: formatCount(o.failed) }),
      };

const openKpi = (o: Overview): Kpi => ({
  key: "open-rate",
  label: t("analytics.kpi.openRate"),
  value: formatPercent(o.openRate),
  detail: t("analytics.kpi.opened", { n: formatCount(o.uniqueOpens), total: formatCount(o.sent) }),
});

const clickKpi = (o: Overview): Kpi => ({
  key: "click-rate",
  label: t("analytics.kpi.clickRate"),
  value: formatPercent(o.clickRate),
  detail: t("analytics.kpi.clicked", { n: formatCount(o.uniqueClicks), total: formatCount(o.sent) }),
});

const bounceKpi = (o: Overview): Kpi => ({
  key: "bounce-rate",
  label: t("analytics.kpi.bounceRate"),
  value: formatPercent(o.bounceRate),
  detail: t("analytics.kpi.bounced", { n: formatCount(o.bounces) }),
});

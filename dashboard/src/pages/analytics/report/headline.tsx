import type { ReportStats } from "../../../api/analytics";
import { SplitBar } from "../../../components/charts";
import { ErrorBanner } from "../../../components/error-banner";
import type { Resource } from "../../../hooks/use-resource";
import { t } from "../../../i18n";
import { type Kpi, KpiGrid } from "../kpis";
import { formatCount, formatPercent, ratio } from "../numbers";

/** The report's headline figures, then human and machine opens side by side with what they mean. */
export function Headline({ stats }: { stats: Resource<ReportStats> }) {
  const s = stats.data.value;
  return (
    <section class="report-headline" aria-labelledby="report-headline" aria-busy={stats.loading.value}>
      <h2 id="report-headline" class="visually-hidden">
        {t("analytics.report.headline")}
      </h2>
      <ErrorBanner error={stats.error.value} onRetry={stats.reload} />
      {s ? (
        <>
          <KpiGrid items={headline(s)} />
          <OpensCompare stats={s} />
        </>
      ) : (
        stats.loading.value && <p class="muted">{t("common.loading")}</p>
      )}
    </section>
  );
}

function headline(s: ReportStats): Kpi[] {
  const ofSent = (n: number) => t("analytics.kpi.ofSent", { rate: formatPercent(ratio(n, s.sent)) });
  return [
    {
      key: "audience",
      label: t("analytics.report.audience"),
      value: formatCount(s.audience),
      detail:
        s.queued > 0
          ? t("analytics.report.stillQueued", { n: formatCount(s.queued) })
          : t("analytics.report.afterSuppressions"),
    },
    {
      key: "sent",
      label: t("analytics.sent"),
      value: formatCount(s.sent),
      detail: t("analytics.kpi.failed", { n: formatCount(s.failed) }),
    },
    {
      key: "delivered",
      label: t("analytics.delivered"),
      value: formatCount(s.delivered),
      detail: ofSent(s.delivered),
    },
    {
      key: "unique-opens",
      label: t("analytics.uniqueOpens"),
      value: formatCount(s.uniqueOpens),
      detail: t("analytics.report.opensDetail", { rate: formatPercent(s.openRate), n: formatCount(s.opens) }),
    },
    {
      key: "unique-clicks",
      label: t("analytics.uniqueClicks"),
      value: formatCount(s.uniqueClicks),
      detail: t("analytics.report.clicksDetail", {
        rate: formatPercent(s.clickRate),
        n: formatCount(s.clicks),
      }),
    },
    {
      key: "click-to-open",
      label: t("analytics.kpi.clickToOpen"),
      value: formatPercent(ratio(s.uniqueClicks, s.uniqueOpens)),
      detail: t("analytics.kpi.ofWhoOpened", {
        n: formatCount(s.uniqueClicks),
        total: formatCount(s.uniqueOpens),
      }),
    },
    {
      key: "bounces",
      label: t("analytics.bounces"),
      value: formatCount(s.bounces),
      detail: t("analytics.report.bounceRate", { rate: formatPercent(s.bounceRate) }),
    },
    {
      key: "complaints",
      label: t("analytics.report.complaints"),
      value: formatCount(s.complaints),
      detail: ofSent(s.complaints),
    },
    {
      key: "unsubscribes",
      label: t("analytics.unsubscribes"),
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
      <h3 id="report-opens">{t("analytics.report.opensTitle")}</h3>
      <dl class="opens-compare__sides">
        <div class="opens-compare__side">
          <dt>{t("analytics.report.humanOpens")}</dt>
          <dd class="opens-compare__value" data-testid="human-opens">
            {formatCount(s.opens)}
          </dd>
          <dd class="muted">
            {t("analytics.report.people", { count: s.uniqueOpens, n: formatCount(s.uniqueOpens) })}
          </dd>
        </div>
        <div class="opens-compare__side opens-compare__side--machine">
          <dt>{t("analytics.machineOpens")}</dt>
          <dd class="opens-compare__value" data-testid="machine-opens">
            {formatCount(s.machineOpens)}
          </dd>
          <dd class="muted">
            {t("analytics.report.machineShare", {
              share:
                total > 0
                  ? t("analytics.report.ofAllOpens", { rate: formatPercent(ratio(s.machineOpens, total)) })
                  : t("common.none"),
            })}
          </dd>
        </div>
      </dl>
      <SplitBar
        label={t("analytics.report.splitLabel", {
          people: formatCount(s.opens),
          machines: formatCount(s.machineOpens),
        })}
        parts={[
          { key: "people", value: s.opens, tone: "blue" },
          { key: "machines", value: s.machineOpens, tone: "gray" },
        ]}
      />
      <p class="muted opens-compare__note">{t("analytics.report.machineNote")}</p>
    </section>
  );
}

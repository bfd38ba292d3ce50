import { useLocation } from "preact-iso";
import { analytics } from "../../api/analytics";
import { fieldErrors } from "../../api/errors";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { useResource } from "../../hooks/use-resource";
import { t } from "../../i18n";
import { CampaignsTable, STATUS_FILTERS, type StatusFilter } from "./campaigns-table";
import { DailyCharts } from "./daily-charts";
import { KpiGrid, rangeKpis } from "./kpis";
import { describeRange, type RangeChoice, rangeKey, rangeParams, readRange, toApiRange } from "./range";
import { RangePicker } from "./range-picker";
import "./analytics.css";

/**
 * Analytics over a date range: the range's figures and daily charts, then every campaign with its
 * rates and a link to its report. The range and the status filter live in the address.
 */
export function AnalyticsPage() {
  const { query, route } = useLocation();
  const choice = readRange(query);
  const status = STATUS_FILTERS.find((s) => s === query.status) ?? "sent";
  const key = rangeKey(choice);
  const overview = useResource(() => analytics.overview(toApiRange(choice)), key);
  const data = overview.data.value;

  const go = (range: RangeChoice, next: StatusFilter) => {
    const params = new URLSearchParams(rangeParams(range));
    if (next !== "sent") params.set("status", next);
    const text = params.toString();
    route(text ? `/analytics?${text}` : "/analytics", true);
  };

  return (
    <Page title={t("analytics.title")} intro={t("analytics.intro")}>
      <RangePicker
        key={key}
        choice={choice}
        onChange={(range) => go(range, status)}
        errors={fieldErrors(overview.error.value)}
      />
      <section class="analytics-range" aria-labelledby="analytics-range" aria-busy={overview.loading.value}>
        <h2 id="analytics-range" data-testid="analytics-range">
          {data ? describeRange(data.from, data.to) : t("common.loading")}
        </h2>
        <ErrorBanner error={overview.error.value} onRetry={overview.reload} />
        {data && (
          <>
            <KpiGrid items={rangeKpis(data)} />
            {data.sent === 0 && data.series.length === 0 ? (
              <p class="card report-empty">{t("analytics.emptyRange")}</p>
            ) : (
              <DailyCharts overview={data} />
            )}
          </>
        )}
      </section>
      <CampaignsTable status={status} onStatus={(next) => go(choice, next)} />
    </Page>
  );
}

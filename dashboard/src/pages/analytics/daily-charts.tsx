import type { Overview } from "../../api/analytics";
import { LineChart, type Series } from "../../components/charts";
import { t } from "../../i18n";
import { type DailySeries, fillDays } from "./numbers";

interface ChartCardProps {
  id: string;
  title: string;
  days: DailySeries;
  series: Series[];
}

/** A card with a heading and the line chart of some daily figures. */
function ChartCard({ id, title, days, series }: ChartCardProps) {
  return (
    <section class="card analytics-chart" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <LineChart
        label={title}
        labels={days.labels}
        fullLabels={days.fullLabels}
        series={series}
        xHeader={t("analytics.charts.day")}
        note={t("analytics.charts.utcDays")}
      />
    </section>
  );
}

const pick = (days: DailySeries, key: keyof Omit<DailySeries["points"][number], "day">) =>
  days.points.map((p) => p[key]);

/** Unique opens and unique clicks (people, not machines) per day of the range. */
export function EngagementChart({ overview, headingId }: { overview: Overview; headingId: string }) {
  const days = fillDays(overview.series, overview.from, overview.to);
  return (
    <ChartCard
      id={headingId}
      title={t("analytics.charts.engagement")}
      days={days}
      series={[
        {
          key: "uniqueOpens",
          label: t("analytics.uniqueOpens"),
          values: pick(days, "uniqueOpens"),
          tone: "blue",
        },
        {
          key: "uniqueClicks",
          label: t("analytics.uniqueClicks"),
          values: pick(days, "uniqueClicks"),
          tone: "green",
        },
      ]}
    />
  );
}

/** The range's daily charts: messages sent; unique opens and clicks; bounces and unsubscribes. */
export function DailyCharts({ overview }: { overview: Overview }) {
  const days = fillDays(overview.series, overview.from, overview.to);
  return (
    <div class="analytics-charts">
      <ChartCard
        id="chart-sent"
        title={t("analytics.charts.sent")}
        days={days}
        series={[{ key: "sent", label: t("analytics.sent"), values: pick(days, "sent"), tone: "blue" }]}
      />
      <EngagementChart overview={overview} headingId="chart-engagement" />
      <ChartCard
        id="chart-losses"
        title={t("analytics.charts.losses")}
        days={days}
        series={[
          { key: "bounces", label: t("analytics.bounces"), values: pick(days, "bounces"), tone: "red" },
          {
            key: "unsubscribes",
            label: t("analytics.unsubscribes"),
            values: pick(days, "unsubscribes"),
            tone: "orange",
          },
        ]}
      />
    </div>
  );
}

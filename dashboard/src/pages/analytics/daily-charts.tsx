import type { Overview } from "../../api/analytics";
import { LineChart, type Series } from "../../components/charts";
import { type DailySeries, fillDays } from "./numbers";

const NOTE = "Days are UTC days.";

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
        xHeader="Day"
        note={NOTE}
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
      title="Unique opens and clicks per day"
      days={days}
      series={[
        { key: "uniqueOpens", label: "Unique opens", values: pick(days, "uniqueOpens"), tone: "blue" },
        { key: "uniqueClicks", label: "Unique clicks", values: pick(days, "uniqueClicks"), tone: "green" },
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
        title="Messages sent per day"
        days={days}
        series={[{ key: "sent", label: "Sent", values: pick(days, "sent"), tone: "blue" }]}
      />
      <EngagementChart overview={overview} headingId="chart-engagement" />
      <ChartCard
        id="chart-losses"
        title="Bounces and unsubscribes per day"
        days={days}
        series={[
          { key: "bounces", label: "Bounces", values: pick(days, "bounces"), tone: "red" },
          { key: "unsubscribes", label: "Unsubscribes", values: pick(days, "unsubscribes"), tone: "orange" },
        ]}
      />
    </div>
  );
}

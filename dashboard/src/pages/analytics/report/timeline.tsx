import { useSignal } from "@preact/signals";
import {
  analytics,
  type HourPoint,
  type ReportCampaign,
  type TimelineBucket,
  type TimelineData,
} from "../../../api/analytics";
import { LineChart, type Series } from "../../../components/charts";
import { Field } from "../../../components/field";
import { useResource } from "../../../hooks/use-resource";
import { fillTimeline, type Timeline } from "../numbers";
import { ReportSection } from "../parts";

type Mode = "unique" | "total";

interface TimelineSectionProps {
  campaign: ReportCampaign;
  /** Changes when the page is refreshed. */
  version: number;
}

/** Opens and clicks per hour, unique or total, with machine opens as a series of their own. */
export function TimelineSection({ campaign, version }: TimelineSectionProps) {
  const mode = useSignal<Mode>("unique");
  const variantId = useSignal("");
  const timeline = useResource(
    () => loadTimeline(campaign.id, variantId.value || undefined),
    `${campaign.id}:${variantId.value}:${version}`,
  );
  const rows = timeline.data.value?.data ?? [];
  const shaped = fillTimeline(rows, timeline.data.value?.bucket);
  const unit = UNITS[shaped.unit];
  const label = `Opens and clicks per ${unit.one}`;
  const hasAny = rows.some((r) => r.opens + r.clicks + r.machineOpens > 0);

  return (
    <ReportSection
      id="report-timeline"
      title={label}
      intro={`${unit.many} in your time zone. Machine opens are drawn dashed and are not part of the opens.`}
      loading={timeline.loading.value}
      error={timeline.error.value}
      onRetry={timeline.reload}
      empty={hasAny ? null : "No opens or clicks yet."}
      tools={
        <div class="report-tools">
          <fieldset class="segmented">
            <legend class="visually-hidden">Count</legend>
            {(["unique", "total"] as const).map((m) => (
              <label key={m} class={mode.value === m ? "segmented__option is-checked" : "segmented__option"}>
                <input
                  type="radio"
                  name="timeline-mode"
                  value={m}
                  checked={mode.value === m}
                  onChange={() => (mode.value = m)}
                />
                {m === "unique" ? "Unique" : "Total"}
              </label>
            ))}
          </fieldset>
          {campaign.variants.length > 0 && (
            <Field
              id="timeline-variant"
              label="Variant"
              value={variantId.value}
              onInput={(value) => (variantId.value = value)}
              options={[
                { value: "", label: "All variants" },
                ...campaign.variants.map((v) => ({ value: v.id, label: v.name })),
              ]}
            />
          )}
        </div>
      }
    >
      <LineChart
        label={label}
        labels={shaped.labels}
        fullLabels={shaped.fullLabels}
        series={seriesFor(shaped, mode.value)}
        xHeader={unit.header}
        note="Machine opens are counted apart from opens."
      />
    </ReportSection>
  );
}

const UNITS: Record<TimelineBucket, { one: string; many: string; header: string }> = {
  minute: { one: "minute", many: "Minutes", header: "Minute" },
  "5min": { one: "5 minutes", many: "Five-minute steps", header: "From" },
  hour: { one: "hour", many: "Hours", header: "Hour" },
  day: { one: "day", many: "Days", header: "Day" },
};

/**
 * The timeline in the bucket the server picks from the campaign's span (minutes for a recent
 * short send); for long spans it is read per hour again, so that days are the reader's own.
 */
async function loadTimeline(id: string, variantId: string | undefined): Promise<TimelineData> {
  const picked = await analytics.timeline(id, variantId, "auto");
  return picked.bucket === "day" ? analytics.timeline(id, variantId, "hour") : picked;
}

function seriesFor(t: Timeline, mode: Mode): Series[] {
  const pick = (key: keyof Omit<HourPoint, "hour">) => t.points.map((p) => p[key]);
  const unique = mode === "unique";
  return [
    {
      key: "opens",
      label: unique ? "Unique opens" : "Opens",
      values: pick(unique ? "uniqueOpens" : "opens"),
      tone: "blue",
    },
    {
      key: "clicks",
      label: unique ? "Unique clicks" : "Clicks",
      values: pick(unique ? "uniqueClicks" : "clicks"),
      tone: "green",
    },
    { key: "machine", label: "Machine opens", values: pick("machineOpens"), tone: "gray", dashed: true },
  ];
}

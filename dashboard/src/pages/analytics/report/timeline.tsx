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
import { t } from "../../../i18n";
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
  const unit = unitWords(shaped.unit);
  const label = unit.title;
  const hasAny = rows.some((r) => r.opens + r.clicks + r.machineOpens > 0);

  return (
    <ReportSection
      id="report-timeline"
      title={label}
      intro={unit.intro}
      loading={timeline.loading.value}
      error={timeline.error.value}
      onRetry={timeline.reload}
      empty={hasAny ? null : t("analytics.timeline.empty")}
      tools={
        <div class="report-tools">
          <fieldset class="segmented">
            <legend class="visually-hidden">{t("analytics.timeline.count")}</legend>
            {(["unique", "total"] as const).map((m) => (
              <label key={m} class={mode.value === m ? "segmented__option is-checked" : "segmented__option"}>
                <input
                  type="radio"
                  name="timeline-mode"
                  value={m}
                  checked={mode.value === m}
                  onChange={() => (mode.value = m)}
                />
                {t(m === "unique" ? "analytics.timeline.unique" : "analytics.timeline.total")}
              </label>
            ))}
          </fieldset>
          {campaign.variants.length > 0 && (
            <Field
              id="timeline-variant"
              label={t("analytics.variants.variant")}
              value={variantId.value}
              onInput={(value) => (variantId.value = value)}
              options={[
                { value: "", label: t("analytics.timeline.allVariants") },
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
        note={t("analytics.timeline.note")}
      />
    </ReportSection>
  );
}

/** The words for a timeline unit: `analytics.timeline.<unit>.{one,many,header}`. */
const UNIT_KEYS: Record<TimelineBucket, string> = {
  minute: "minute",
  "5min": "fiveMinutes",
  hour: "hour",
  day: "day",
};
const unitWords = (bucket: TimelineBucket) => {
  const base = `analytics.timeline.${UNIT_KEYS[bucket]}`;
  return { title: t(`${base}.title`), intro: t(`${base}.intro`), header: t(`${base}.header`) };
};

/**
 * The timeline in the bucket the server picks from the campaign's span (minutes for a recent
 * short send); for long spans it is read per hour again, so that days are the reader's own.
 */
async function loadTimeline(id: string, variantId: string | undefined): Promise<TimelineData> {
  const picked = await analytics.timeline(id, variantId, "auto");
  return picked.bucket === "day" ? analytics.timeline(id, variantId, "hour") : picked;
}

function seriesFor(timeline: Timeline, mode: Mode): Series[] {
  const pick = (key: keyof Omit<HourPoint, "hour">) => timeline.points.map((p) => p[key]);
  const unique = mode === "unique";
  return [
    {
      key: "opens",
      label: t(unique ? "analytics.uniqueOpens" : "analytics.timeline.opens"),
      values: pick(unique ? "uniqueOpens" : "opens"),
      tone: "blue",
    },
    {
      key: "clicks",
      label: t(unique ? "analytics.uniqueClicks" : "analytics.links.clicks"),
      values: pick(unique ? "uniqueClicks" : "clicks"),
      tone: "green",
    },
    {
      key: "machine",
      label: t("analytics.machineOpens"),
      values: pick("machineOpens"),
      tone: "gray",
      dashed: true,
    },
  ];
}

import type { CampaignList, SegmentOption } from "../../api/campaigns";
import { CheckboxGroup } from "../../components/checkbox-group";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { formatNumber } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import type { AudienceCount } from "./audience-count";

interface AudienceSectionProps {
  lists: readonly CampaignList[];
  /** Archived lists: listed only while the campaign still names them, so they can be unticked. */
  archivedLists?: readonly CampaignList[] | undefined;
  segments: readonly SegmentOption[] | undefined;
  listIds: readonly string[];
  segmentId: string;
  onChange: (change: { listIds?: string[]; segmentId?: string }) => void;
  count: AudienceCount;
  errors: { listIds?: string | undefined; segmentId?: string | undefined };
  disabled?: boolean;
}

/** Lists (any of them) and/or a segment, with the live count of who that reaches. */
export function AudienceSection(props: AudienceSectionProps) {
  const { lists, segments, listIds, segmentId, count, errors, disabled } = props;
  const archived = (props.archivedLists ?? []).filter((list) => listIds.includes(list.id));
  return (
    <section class="card campaign-section" aria-labelledby="campaign-audience-title">
      <h2 id="campaign-audience-title">{t("campaigns.audience.title")}</h2>
      <p class="muted">{t("campaigns.audience.intro")}</p>
      <div class="campaign-audience">
        <CheckboxGroup
          id="campaign-lists"
          legend={t("campaigns.audience.lists")}
          options={[
            ...lists.map((list) => ({ value: list.id, label: list.name })),
            ...archived.map((list) => ({
              value: list.id,
              label: t("campaigns.audience.archivedList", { name: list.name }),
            })),
          ]}
          selected={new Set(listIds)}
          onChange={(selected) => props.onChange({ listIds: [...selected] })}
          empty={t("campaigns.audience.noLists")}
          error={errors.listIds}
          disabled={disabled}
        />
        <Field
          id="campaign-segment"
          label={t("campaigns.audience.segment")}
          value={segmentId}
          onInput={(value) => props.onChange({ segmentId: value })}
          error={errors.segmentId}
          disabled={disabled || segments === undefined}
          options={[
            {
              value: "",
              label: t(segments ? "campaigns.audience.noSegment" : "campaigns.audience.noSegments"),
            },
            ...(segments ?? []).map((segment) => ({ value: segment.id, label: segment.name })),
          ]}
        />
      </div>
      <p
        class="campaign-count"
        data-testid="audience-count"
        aria-live="polite"
        aria-busy={count.loading.value}
      >
        {listIds.length === 0 && !segmentId ? (
          <span class="muted">{t("campaigns.audience.choose")}</span>
        ) : count.count.value === null ? (
          <span class="muted">{t("campaigns.audience.counting")}</span>
        ) : (
          <>
            <Trans
              k="campaigns.audience.count"
              values={{ count: count.count.value, n: formatNumber(count.count.value) }}
              parts={[(text) => <strong>{text}</strong>]}
            />
            {count.loading.value && <span class="muted"> {t("campaigns.audience.updating")}</span>}
          </>
        )}
      </p>
      <ErrorBanner error={count.error.value} />
    </section>
  );
}

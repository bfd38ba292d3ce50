import type { CampaignList, SegmentOption } from "../../api/campaigns";
import { CheckboxGroup } from "../../components/checkbox-group";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
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
      <h2 id="campaign-audience-title">Audience</h2>
      <p class="muted">
        Members of any chosen list; with a segment as well, only those of them who match it. A segment alone
        targets everyone who matches. Unsubscribed, bounced and suppressed addresses are always left out.
      </p>
      <div class="campaign-audience">
        <CheckboxGroup
          id="campaign-lists"
          legend="Lists"
          options={[
            ...lists.map((list) => ({ value: list.id, label: list.name })),
            ...archived.map((list) => ({ value: list.id, label: `${list.name} (archived)` })),
          ]}
          selected={new Set(listIds)}
          onChange={(selected) => props.onChange({ listIds: [...selected] })}
          empty="No lists yet."
          error={errors.listIds}
          disabled={disabled}
        />
        <Field
          id="campaign-segment"
          label="Segment"
          value={segmentId}
          onInput={(value) => props.onChange({ segmentId: value })}
          error={errors.segmentId}
          disabled={disabled || segments === undefined}
          options={[
            { value: "", label: segments ? "No segment" : "Segments are not available" },
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
          <span class="muted">Choose one or more lists, or a segment.</span>
        ) : count.count.value === null ? (
          <span class="muted">Counting…</span>
        ) : (
          <>
            <strong>{count.count.value.toLocaleString()}</strong>{" "}
            {count.count.value === 1 ? "recipient" : "recipients"}
            {count.loading.value && <span class="muted"> (updating…)</span>}
          </>
        )}
      </p>
      <ErrorBanner error={count.error.value} />
    </section>
  );
}

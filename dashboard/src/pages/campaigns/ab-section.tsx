import type { TemplateSummary } from "../../api/campaigns";
import { Checkbox } from "../../components/checkbox-group";
import { Field } from "../../components/field";
import { abSplit, type Draft, MAX_VARIANTS, MIN_VARIANTS, newVariant, type VariantDraft } from "./model";

interface AbSectionProps {
  draft: Draft;
  templates: readonly TemplateSummary[];
  /** The live audience count, for the explanation of the split; null while unknown. */
  audience: number | null;
  onChange: (change: Partial<Draft>) => void;
  /** Server messages by path ("abTest.variants.0.name"). */
  issues: Map<string, string>;
  disabled?: boolean;
}

/** Optional A/B test: 2–5 variants (a subject and/or another template), the test share, metric and wait. */
export function AbSection({ draft, templates, audience, onChange, issues, disabled }: AbSectionProps) {
  const variants = draft.variants;
  const setVariant = (index: number, change: Partial<VariantDraft>) =>
    onChange({ variants: variants.map((v, i) => (i === index ? { ...v, ...change } : v)) });
  const split = abSplit(audience ?? 0, Number(draft.testPercent), variants.length);
  const percent = Number(draft.testPercent);
  const metricWord = draft.metric === "opens" ? "unique opens" : "unique clicks";

  return (
    <section class="card campaign-section" aria-labelledby="campaign-ab-title">
      <h2 id="campaign-ab-title">A/B test</h2>
      <Checkbox
        id="campaign-ab"
        label="Run an A/B test"
        checked={draft.abEnabled}
        onChange={(abEnabled) => onChange({ abEnabled })}
        disabled={disabled}
        hint="Try different subjects or templates on part of the audience first; the rest get the winner."
      />
      {issues.get("abTest") && <p class="field__error">{issues.get("abTest")}</p>}
      {draft.abEnabled && (
        <>
          <ol class="ab-variants">
            {variants.map((variant, index) => (
              <li key={variant.key}>
                <fieldset class="ab-variant" aria-label={`Variant ${index + 1}`}>
                  <Field
                    id={`campaign-variant-${index}-name`}
                    label={`Variant ${index + 1} name`}
                    value={variant.name}
                    onInput={(name) => setVariant(index, { name })}
                    error={issues.get(`abTest.variants.${index}.name`)}
                    disabled={disabled}
                  />
                  <Field
                    id={`campaign-variant-${index}-subject`}
                    label={`Variant ${index + 1} subject`}
                    value={variant.subject}
                    onInput={(subject) => setVariant(index, { subject })}
                    error={issues.get(`abTest.variants.${index}.subject`)}
                    placeholder="The template's subject"
                    disabled={disabled}
                  />
                  <Field
                    id={`campaign-variant-${index}-template`}
                    label={`Variant ${index + 1} template`}
                    value={variant.templateId}
                    onInput={(templateId) => setVariant(index, { templateId })}
                    error={issues.get(`abTest.variants.${index}.templateId`)}
                    disabled={disabled}
                    options={[
                      { value: "", label: "The campaign's template" },
                      ...templates.map((template) => ({ value: template.id, label: template.name })),
                    ]}
                  />
                  {!disabled && variants.length > MIN_VARIANTS && (
                    <button
                      type="button"
                      class="button button--small button--danger-quiet ab-variant__remove"
                      onClick={() => onChange({ variants: variants.filter((_v, i) => i !== index) })}
                    >
                      Remove variant {index + 1}
                    </button>
                  )}
                </fieldset>
              </li>
            ))}
          </ol>
          {issues.get("abTest.variants") && <p class="field__error">{issues.get("abTest.variants")}</p>}
          {!disabled && variants.length < MAX_VARIANTS && (
            <button
              type="button"
              class="button button--small"
              onClick={() => onChange({ variants: [...variants, newVariant(variants.length)] })}
            >
              + Add variant
            </button>
          )}
          <div class="form form--grid ab-settings">
            <Field
              id="campaign-ab-percent"
              label="Test group (% of the audience)"
              type="number"
              value={draft.testPercent}
              onInput={(testPercent) => onChange({ testPercent })}
              error={issues.get("abTest.testPercent")}
              disabled={disabled}
            />
            <Field
              id="campaign-ab-metric"
              label="Winner by"
              value={draft.metric}
              onInput={(metric) => onChange({ metric: metric === "opens" ? "opens" : "clicks" })}
              error={issues.get("abTest.metric")}
              disabled={disabled}
              options={[
                { value: "clicks", label: "Most unique clicks" },
                { value: "opens", label: "Most unique opens" },
              ]}
            />
            <Field
              id="campaign-ab-wait"
              label="Wait before picking (minutes)"
              type="number"
              value={draft.waitMinutes}
              onInput={(waitMinutes) => onChange({ waitMinutes })}
              error={issues.get("abTest.waitMinutes")}
              disabled={disabled}
            />
          </div>
          <p class="banner banner--info ab-explain" data-testid="ab-explain">
            {Number.isFinite(percent) && percent > 0
              ? `${percent}% of the audience is split evenly between the ${variants.length} variants` +
                (split.perVariant > 0 ? ` (about ${split.perVariant.toLocaleString()} each)` : "") +
                `. After ${draft.waitMinutes || "?"} minutes the variant with the most ${metricWord} wins, and the rest` +
                (audience ? ` (about ${split.rest.toLocaleString()})` : "") +
                " get the winner."
              : "Enter the share of the audience that takes part in the test."}
          </p>
        </>
      )}
    </section>
  );
}

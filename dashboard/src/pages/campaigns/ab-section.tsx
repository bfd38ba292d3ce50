import type { TemplateSummary } from "../../api/campaigns";
import { Checkbox } from "../../components/checkbox-group";
import { Field } from "../../components/field";
import { formatNumber, formatPercent } from "../../format";
import { t } from "../../i18n";
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
  const metricWord = t(draft.metric === "opens" ? "campaigns.ab.metricOpens" : "campaigns.ab.metricClicks");

  return (
    <section class="card campaign-section" aria-labelledby="campaign-ab-title">
      <h2 id="campaign-ab-title">{t("campaigns.ab.title")}</h2>
      <Checkbox
        id="campaign-ab"
        label={t("campaigns.ab.enable")}
        checked={draft.abEnabled}
        onChange={(abEnabled) => onChange({ abEnabled })}
        disabled={disabled}
        hint={t("campaigns.ab.enableHint")}
      />
      {issues.get("abTest") && <p class="field__error">{issues.get("abTest")}</p>}
      {draft.abEnabled && (
        <>
          <ol class="ab-variants">
            {variants.map((variant, index) => (
              <li key={variant.key}>
                <fieldset class="ab-variant" aria-label={t("campaigns.ab.variant", { n: index + 1 })}>
                  <Field
                    id={`campaign-variant-${index}-name`}
                    label={t("campaigns.ab.variantName", { n: index + 1 })}
                    value={variant.name}
                    onInput={(name) => setVariant(index, { name })}
                    error={issues.get(`abTest.variants.${index}.name`)}
                    disabled={disabled}
                  />
                  <Field
                    id={`campaign-variant-${index}-subject`}
                    label={t("campaigns.ab.variantSubject", { n: index + 1 })}
                    value={variant.subject}
                    onInput={(subject) => setVariant(index, { subject })}
                    error={issues.get(`abTest.variants.${index}.subject`)}
                    placeholder={t("campaigns.ab.subjectPlaceholder")}
                    disabled={disabled}
                  />
                  <Field
                    id={`campaign-variant-${index}-template`}
                    label={t("campaigns.ab.variantTemplate", { n: index + 1 })}
                    value={variant.templateId}
                    onInput={(templateId) => setVariant(index, { templateId })}
                    error={issues.get(`abTest.variants.${index}.templateId`)}
                    disabled={disabled}
                    options={[
                      { value: "", label: t("campaigns.ab.campaignTemplate") },
                      ...templates.map((template) => ({ value: template.id, label: template.name })),
                    ]}
                  />
                  {!disabled && variants.length > MIN_VARIANTS && (
                    <button
                      type="button"
                      class="button button--small button--danger-quiet ab-variant__remove"
                      onClick={() => onChange({ variants: variants.filter((_v, i) => i !== index) })}
                    >
                      {t("campaigns.ab.removeVariant", { n: index + 1 })}
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
              {t("campaigns.ab.addVariant")}
            </button>
          )}
          <div class="form form--grid ab-settings">
            <Field
              id="campaign-ab-percent"
              label={t("campaigns.ab.testPercent")}
              type="number"
              value={draft.testPercent}
              onInput={(testPercent) => onChange({ testPercent })}
              error={issues.get("abTest.testPercent")}
              disabled={disabled}
            />
            <Field
              id="campaign-ab-metric"
              label={t("campaigns.ab.metric")}
              value={draft.metric}
              onInput={(metric) => onChange({ metric: metric === "opens" ? "opens" : "clicks" })}
              error={issues.get("abTest.metric")}
              disabled={disabled}
              options={[
                { value: "clicks", label: t("campaigns.ab.mostClicks") },
                { value: "opens", label: t("campaigns.ab.mostOpens") },
              ]}
            />
            <Field
              id="campaign-ab-wait"
              label={t("campaigns.ab.wait")}
              type="number"
              value={draft.waitMinutes}
              onInput={(waitMinutes) => onChange({ waitMinutes })}
              error={issues.get("abTest.waitMinutes")}
              disabled={disabled}
            />
          </div>
          <p class="banner banner--info ab-explain" data-testid="ab-explain">
            {Number.isFinite(percent) && percent > 0
              ? t("campaigns.ab.explain", {
                  split: t(split.perVariant > 0 ? "campaigns.ab.splitEach" : "campaigns.ab.split", {
                    percent: formatPercent(percent / 100, 2),
                    variants: variants.length,
                    each: formatNumber(split.perVariant),
                  }),
                  winner: t(audience ? "campaigns.ab.winnerRest" : "campaigns.ab.winner", {
                    minutes: draft.waitMinutes || "?",
                    metric: metricWord,
                    rest: formatNumber(split.rest),
                  }),
                })
              : t("campaigns.ab.noPercent")}
          </p>
        </>
      )}
    </section>
  );
}

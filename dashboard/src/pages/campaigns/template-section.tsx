import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { campaignLookups, type Rendered, type TemplateSummary } from "../../api/campaigns";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { t } from "../../i18n";

interface TemplateSectionProps {
  templates: readonly TemplateSummary[];
  value: string;
  onChange: (templateId: string) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** The template picker and a preview of the chosen one, rendered with sample data. */
export function TemplateSection({ templates, value, onChange, error, disabled }: TemplateSectionProps) {
  return (
    <section class="card campaign-section" aria-labelledby="campaign-template-title">
      <h2 id="campaign-template-title">{t("campaigns.template.title")}</h2>
      <Field
        id="campaign-template"
        label={t("campaigns.template.label")}
        value={value}
        onInput={onChange}
        error={error}
        disabled={disabled}
        hint={templates.length === 0 ? t("campaigns.template.none") : t("campaigns.template.hint")}
        options={[
          { value: "", label: t("campaigns.template.choose") },
          ...templates.map((template) => ({ value: template.id, label: template.name })),
        ]}
      />
      {value && <TemplatePreview templateId={value} />}
    </section>
  );
}

/**
 * The template as a subscriber would see it, in an iframe with every sandbox restriction:
 * no scripts, no forms, no navigation of this page, a unique origin.
 */
export function TemplatePreview({ templateId }: { templateId: string }) {
  const rendered = useSignal<Rendered | null>(null);
  const failure = useSignal<unknown>(null);
  const loading = useSignal(true);
  const generation = useRef(0);

  const load = () => {
    const mine = ++generation.current;
    loading.value = true;
    failure.value = null;
    campaignLookups
      .preview(templateId)
      .then((result) => {
        if (mine === generation.current) rendered.value = result;
      })
      .catch((caught: unknown) => {
        if (mine === generation.current) failure.value = caught;
      })
      .finally(() => {
        if (mine === generation.current) loading.value = false;
      });
  };
  useEffect(load, [templateId]);

  const current = rendered.value;
  // The subject, the frame and the hint are laid out before the preview arrives, so nothing below
  // them moves when it does: a click aimed at a list further down lands where it was aimed.
  return (
    <div class="template-preview" aria-busy={loading.value}>
      <ErrorBanner error={failure.value} onRetry={load} />
      <p class="template-preview__subject">
        <span class="muted">{t("campaigns.template.subject")}</span>{" "}
        <strong data-testid="preview-subject">{current ? current.subject : "\u00a0"}</strong>
      </p>
      <iframe
        class="template-preview__frame"
        title={t("campaigns.template.preview")}
        sandbox=""
        srcdoc={current?.html ?? ""}
      />
      <p class="field__hint">{t("campaigns.template.sample")}</p>
    </div>
  );
}

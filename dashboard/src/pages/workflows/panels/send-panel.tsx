import { Field } from "../../../components/field";
import { t } from "../../../i18n";
import { optional, type PanelProps } from "./types";

/** Send: the campaign template, and the sender and subject when this step should differ from it. */
export function SendPanel({ node, update, lookups }: PanelProps<"send">) {
  const prefix = `node-${node.id}`;
  const options = [
    { value: "", label: t("workflows.send.chooseTemplate") },
    ...lookups.templates.map((template) => ({ value: template.id, label: template.name })),
  ];
  // A template that is gone (deleted, or not a campaign template) still shows, by id.
  if (node.templateId && !lookups.templates.some((template) => template.id === node.templateId))
    options.push({
      value: node.templateId,
      label: t("workflows.send.unknownTemplate", { id: node.templateId.slice(0, 8) }),
    });
  return (
    <>
      <Field
        id={`${prefix}-template`}
        label={t("workflows.send.template")}
        value={node.templateId}
        options={options}
        onInput={(templateId) => update({ templateId })}
        hint={lookups.templates.length === 0 ? t("workflows.send.noTemplates") : undefined}
      />
      {node.templateId && (
        <p class="wf-panel__link">
          <a href={`/templates/${encodeURIComponent(node.templateId)}`} target="_blank" rel="noreferrer">
            {t("workflows.send.openTemplate")}
          </a>
        </p>
      )}
      <Field
        id={`${prefix}-subject`}
        label={t("workflows.send.subject")}
        value={node.subject ?? ""}
        onInput={(value) => update({ subject: optional(value) })}
        hint={t("workflows.send.subjectHint")}
      />
      <Field
        id={`${prefix}-from-name`}
        label={t("workflows.send.fromName")}
        value={node.fromName ?? ""}
        onInput={(value) => update({ fromName: optional(value) })}
      />
      <Field
        id={`${prefix}-from-email`}
        label={t("workflows.send.fromEmail")}
        type="email"
        value={node.fromEmail ?? ""}
        onInput={(value) => update({ fromEmail: optional(value) })}
        hint={t("workflows.send.fromEmailHint")}
      />
    </>
  );
}

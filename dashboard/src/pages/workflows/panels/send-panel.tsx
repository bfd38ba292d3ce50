import { Field } from "../../../components/field";
import { optional, type PanelProps } from "./types";

/** Send: the campaign template, and the sender and subject when this step should differ from it. */
export function SendPanel({ node, update, lookups }: PanelProps<"send">) {
  const prefix = `node-${node.id}`;
  const options = [
    { value: "", label: "Choose a template…" },
    ...lookups.templates.map((template) => ({ value: template.id, label: template.name })),
  ];
  // A template that is gone (deleted, or not a campaign template) still shows, by id.
  if (node.templateId && !lookups.templates.some((template) => template.id === node.templateId))
    options.push({ value: node.templateId, label: `Unknown template ${node.templateId.slice(0, 8)}…` });
  return (
    <>
      <Field
        id={`${prefix}-template`}
        label="Template"
        value={node.templateId}
        options={options}
        onInput={(templateId) => update({ templateId })}
        hint={
          lookups.templates.length === 0
            ? "There are no campaign templates yet: create one first."
            : undefined
        }
      />
      {node.templateId && (
        <p class="wf-panel__link">
          <a href={`/templates/${encodeURIComponent(node.templateId)}`} target="_blank" rel="noreferrer">
            Open the template
          </a>
        </p>
      )}
      <Field
        id={`${prefix}-subject`}
        label="Subject (optional)"
        value={node.subject ?? ""}
        onInput={(value) => update({ subject: optional(value) })}
        hint="Leave empty to use the template's subject."
      />
      <Field
        id={`${prefix}-from-name`}
        label="From name (optional)"
        value={node.fromName ?? ""}
        onInput={(value) => update({ fromName: optional(value) })}
      />
      <Field
        id={`${prefix}-from-email`}
        label="From address (optional)"
        type="email"
        value={node.fromEmail ?? ""}
        onInput={(value) => update({ fromEmail: optional(value) })}
        hint="Leave empty for the organisation's default sender."
      />
    </>
  );
}

import { Field } from "../../../components/field";
import { t } from "../../../i18n";
import { optional, type PanelProps } from "./types";

/** Webhook: where to POST the signed request, and which stored secret signs it. */
export function WebhookPanel({ node, update }: PanelProps<"webhook">) {
  return (
    <>
      <Field
        id={`node-${node.id}-url`}
        label={t("workflows.webhook.url")}
        value={node.url}
        // i18n-ignore
        placeholder="https://example.com/hooks/edgepost"
        onInput={(url) => update({ url })}
        hint={t("workflows.webhook.urlHint")}
      />
      <Field
        id={`node-${node.id}-secret`}
        label={t("workflows.webhook.secret")}
        value={node.secretRef ?? ""}
        onInput={(value) => update({ secretRef: optional(value) })}
        hint={t("workflows.webhook.secretHint")}
      />
    </>
  );
}

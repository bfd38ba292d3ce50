import { Field } from "../../../components/field";
import { optional, type PanelProps } from "./types";

/** Webhook: where to POST the signed request, and which stored secret signs it. */
export function WebhookPanel({ node, update }: PanelProps<"webhook">) {
  return (
    <>
      <Field
        id={`node-${node.id}-url`}
        label="URL"
        value={node.url}
        placeholder="https://example.com/hooks/edgepost"
        onInput={(url) => update({ url })}
        hint="Called with POST, signed with HMAC-SHA256, retried with backoff on failure."
      />
      <Field
        id={`node-${node.id}-secret`}
        label="Secret name (optional)"
        value={node.secretRef ?? ""}
        onInput={(value) => update({ secretRef: optional(value) })}
        hint="Leave empty to sign with the organisation's workflow signing secret."
      />
    </>
  );
}

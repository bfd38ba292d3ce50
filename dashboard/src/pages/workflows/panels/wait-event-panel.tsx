import { Field } from "../../../components/field";
import { t } from "../../../i18n";
import { DurationField } from "./duration-field";
import { PairsEditor } from "./pairs-editor";
import type { PanelProps } from "./types";

/** Wait for event: its name, the properties it must carry (keyed to the trigger), and the timeout. */
export function WaitEventPanel({ node, update }: PanelProps<"wait_event">) {
  const prefix = `node-${node.id}`;
  const match = Object.entries(node.match ?? {}).map(([key, value]) => ({ key, value: String(value) }));
  return (
    <>
      <Field
        id={`${prefix}-event`}
        label={t("workflows.waitEvent.event")}
        value={node.event}
        // i18n-ignore
        placeholder="order_placed"
        onInput={(event) => update({ event })}
        hint={t("workflows.waitEvent.eventHint")}
      />
      <PairsEditor
        id={`${prefix}-match`}
        legend={t("workflows.waitEvent.match")}
        keyLabel={t("workflows.waitEvent.property")}
        valueLabel={t("common.value")}
        addLabel={t("workflows.waitEvent.addProperty")}
        removeLabel={(n) => t("workflows.waitEvent.removeProperty", { n })}
        // i18n-ignore
        valuePlaceholder="{{ trigger.properties.cartId }}"
        pairs={match}
        onChange={(pairs) =>
          update({
            match: pairs.length ? Object.fromEntries(pairs.map((pair) => [pair.key, pair.value])) : undefined,
          })
        }
        hint={t("workflows.waitEvent.matchHint", { example: "{{ trigger.properties.x }}" })}
      />
      <DurationField
        id={`${prefix}-timeout`}
        label={t("workflows.waitEvent.timeout")}
        seconds={node.timeoutSeconds}
        onChange={(timeoutSeconds) => update({ timeoutSeconds })}
        hint={t("workflows.waitEvent.timeoutHint")}
      />
    </>
  );
}

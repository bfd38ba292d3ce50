import { Field } from "../../../components/field";
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
        label="Event"
        value={node.event}
        placeholder="order_placed"
        onInput={(event) => update({ event })}
        hint="The name sent to POST /api/v1/events."
      />
      <PairsEditor
        id={`${prefix}-match`}
        legend="Only when the event carries"
        keyLabel="Property"
        valueLabel="Value"
        valuePlaceholder="{{ trigger.properties.cartId }}"
        pairs={match}
        onChange={(pairs) =>
          update({
            match: pairs.length ? Object.fromEntries(pairs.map((pair) => [pair.key, pair.value])) : undefined,
          })
        }
        hint="{{ trigger.properties.x }} stands for the trigger event's property x: the same cart, the same order."
      />
      <DurationField
        id={`${prefix}-timeout`}
        label="Give up after"
        seconds={node.timeoutSeconds}
        onChange={(timeoutSeconds) => update({ timeoutSeconds })}
        hint="Then the run takes the “Timed out” branch."
      />
    </>
  );
}

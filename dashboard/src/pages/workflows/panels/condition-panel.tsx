import { Field } from "../../../components/field";
import { sendNodes } from "../model";
import { RuleField } from "./rule-field";
import type { PanelProps } from "./types";

/** Condition: "opened/clicked send X" of this run, or any segment rule; Yes and No branches. */
export function ConditionPanel({ node, update, doc, lookups, editor }: PanelProps<"condition">) {
  const prefix = `node-${node.id}`;
  const rule = node.rule;
  const bySend = "sent" in rule;
  const sends = sendNodes(doc);
  return (
    <>
      <Field
        id={`${prefix}-mode`}
        label="Check"
        value={bySend ? "send" : "rule"}
        options={[
          { value: "send", label: "Opened or clicked an email of this workflow" },
          { value: "rule", label: "Matches a segment rule" },
        ]}
        onInput={(mode) =>
          update({ rule: mode === "send" ? { sent: sends[0]?.id ?? "", activity: "opened" } : { and: [] } })
        }
      />
      {"sent" in rule ? (
        <>
          <Field
            id={`${prefix}-send`}
            label="Email"
            value={String(rule.sent)}
            options={[
              { value: "", label: "Choose a send step…" },
              ...sends.map((send) => ({
                value: send.id,
                label: send.label?.trim() ? `${send.label} (${send.id})` : send.id,
              })),
            ]}
            onInput={(sent) => update({ rule: { ...rule, sent } })}
          />
          <Field
            id={`${prefix}-activity`}
            label="Was"
            value={String(rule.activity)}
            options={[
              { value: "opened", label: "Opened (by a person)" },
              { value: "clicked", label: "Clicked (by a person)" },
            ]}
            onInput={(activity) =>
              update({ rule: { ...rule, activity: activity === "clicked" ? "clicked" : "opened" } })
            }
          />
        </>
      ) : (
        <RuleField
          ruleKey={node.id}
          rule={rule}
          lookups={lookups}
          editor={editor}
          onRule={(next) => update({ rule: { ...next } })}
        />
      )}
      <p class="field__hint">Subscribers who match go down “Yes”, the others down “No”.</p>
    </>
  );
}

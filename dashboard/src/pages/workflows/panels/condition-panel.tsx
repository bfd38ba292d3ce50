import type { NodeOf } from "../../../api/workflows";
import { Field } from "../../../components/field";
import { type SendNode, sendNodes } from "../model";
import { RuleField } from "./rule-field";
import type { PanelProps } from "./types";

type SentRule = { sent: string; activity: "opened" | "clicked" };

/** Condition: "opened/clicked send X" of this run, or any segment rule; Yes and No branches. */
export function ConditionPanel({ node, update, doc, lookups, editor }: PanelProps<"condition">) {
  const rule = node.rule;
  const sends = sendNodes(doc);
  return (
    <>
      <Field
        id={`node-${node.id}-mode`}
        label="Check"
        value={"sent" in rule ? "send" : "rule"}
        options={[
          { value: "send", label: "Opened or clicked an email of this workflow" },
          { value: "rule", label: "Matches a segment rule" },
        ]}
        onInput={(mode) =>
          update({ rule: mode === "send" ? { sent: sends[0]?.id ?? "", activity: "opened" } : { and: [] } })
        }
      />
      {"sent" in rule ? (
        <SentFields
          node={node}
          rule={sentRule(rule)}
          sends={sends}
          onChange={(next) => update({ rule: next })}
        />
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

function sentRule(rule: NodeOf<"condition">["rule"]): SentRule {
  return { sent: String(rule.sent ?? ""), activity: rule.activity === "clicked" ? "clicked" : "opened" };
}

interface SentFieldsProps {
  node: NodeOf<"condition">;
  rule: SentRule;
  sends: SendNode[];
  onChange: (rule: SentRule) => void;
}

/** Which send step of this run, and opened or clicked (by a person: machine opens do not count). */
function SentFields({ node, rule, sends, onChange }: SentFieldsProps) {
  const name = (send: SendNode) => (send.label?.trim() ? `${send.label} (${send.id})` : send.id);
  return (
    <>
      <Field
        id={`node-${node.id}-send`}
        label="Email"
        value={rule.sent}
        options={[
          { value: "", label: "Choose a send step…" },
          ...sends.map((send) => ({ value: send.id, label: name(send) })),
        ]}
        onInput={(sent) => onChange({ ...rule, sent })}
      />
      <Field
        id={`node-${node.id}-activity`}
        label="Was"
        value={rule.activity}
        options={[
          { value: "opened", label: "Opened (by a person)" },
          { value: "clicked", label: "Clicked (by a person)" },
        ]}
        onInput={(activity) => onChange({ ...rule, activity: activity === "clicked" ? "clicked" : "opened" })}
      />
    </>
  );
}

import type { NodeOf } from "../../../api/workflows";
import { Field } from "../../../components/field";
import { t } from "../../../i18n";
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
        label={t("workflows.condition.check")}
        value={"sent" in rule ? "send" : "rule"}
        options={[
          { value: "send", label: t("workflows.condition.modeSend") },
          { value: "rule", label: t("workflows.condition.modeRule") },
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
      <p class="field__hint">{t("workflows.condition.hint")}</p>
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
        label={t("common.email")}
        value={rule.sent}
        options={[
          { value: "", label: t("workflows.condition.chooseSend") },
          ...sends.map((send) => ({ value: send.id, label: name(send) })),
        ]}
        onInput={(sent) => onChange({ ...rule, sent })}
      />
      <Field
        id={`node-${node.id}-activity`}
        label={t("workflows.condition.was")}
        value={rule.activity}
        options={[
          { value: "opened", label: t("workflows.condition.opened") },
          { value: "clicked", label: t("workflows.condition.clicked") },
        ]}
        onInput={(activity) => onChange({ ...rule, activity: activity === "clicked" ? "clicked" : "opened" })}
      />
    </>
  );
}

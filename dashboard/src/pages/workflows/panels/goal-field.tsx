import type { WorkflowGoal } from "../../../api/workflows";
import { Field } from "../../../components/field";
import { t } from "../../../i18n";
import type { Lookups } from "../lookups";
import { isEventGoal } from "../model";
import type { Editor } from "../use-editor";
import { RuleField } from "./rule-field";

interface GoalFieldProps {
  goal: WorkflowGoal | null;
  lookups: Lookups;
  editor: Editor;
  onChange: (goal: WorkflowGoal | null) => void;
}

/** No goal, an event, or a segment rule: a subscriber who reaches it leaves at once, converted. */
export function GoalField({ goal, lookups, editor, onChange }: GoalFieldProps) {
  const mode = goal === null ? "none" : isEventGoal(goal) ? "event" : "rule";
  return (
    <>
      <Field
        id="goal-mode"
        label={t("workflows.goal.mode")}
        value={mode}
        options={[
          { value: "none", label: t("workflows.goal.none") },
          { value: "event", label: t("workflows.goal.event") },
          { value: "rule", label: t("workflows.goal.rule") },
        ]}
        onInput={(next) => {
          editor.markIncomplete("goal", false);
          onChange(next === "event" ? { event: "" } : next === "rule" ? { and: [] } : null);
        }}
      />
      {isEventGoal(goal) && (
        <Field
          id="goal-event"
          label={t("workflows.eventName")}
          value={String(goal.event)}
          // i18n-ignore
          placeholder="order_placed"
          onInput={(event) => onChange({ event })}
        />
      )}
      {goal && !isEventGoal(goal) && (
        <RuleField
          ruleKey="goal"
          rule={goal}
          lookups={lookups}
          editor={editor}
          onRule={(rule) => onChange({ ...rule })}
        />
      )}
    </>
  );
}

import type { NodeOf } from "../../../api/workflows";
import { CheckboxGroup } from "../../../components/checkbox-group";
import { Field } from "../../../components/field";
import { DurationField } from "./duration-field";
import { DayOffset, TimeField, ZoneSelect } from "./small-fields";
import type { PanelProps } from "./types";

type Mode = "duration" | "until" | "field";
type Until = NonNullable<NodeOf<"wait">["until"]>;

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].map(
  (label, index) => ({ value: String(index + 1), label }),
);

/** Wait: a duration, the next time of day on chosen weekdays, or a date field plus an offset. */
export function WaitPanel({ node, update, lookups }: PanelProps<"wait">) {
  const prefix = `node-${node.id}`;
  const mode: Mode = node.until ? "until" : node.untilField !== undefined ? "field" : "duration";
  // One way to wait at a time: switching clears the others.
  const cleared = { seconds: undefined, until: undefined, untilField: undefined, offsetDays: undefined };
  const switchTo = (next: string) => {
    if (next === "until") update({ ...cleared, until: { time: "09:00" } });
    else if (next === "field") update({ ...cleared, untilField: "" });
    else update({ ...cleared, seconds: 86_400 });
  };
  const dateFields = lookups.fields.filter((field) => field.type === "date");
  return (
    <>
      <Field
        id={`${prefix}-mode`}
        label="Wait"
        value={mode}
        options={[
          { value: "duration", label: "For a while" },
          { value: "until", label: "Until a time of day" },
          { value: "field", label: "Until a date field" },
        ]}
        onInput={switchTo}
      />
      {mode === "duration" && (
        <DurationField
          id={`${prefix}-seconds`}
          label="How long"
          seconds={node.seconds ?? 86_400}
          onChange={(seconds) => update({ seconds })}
        />
      )}
      {node.until && (
        <UntilFields prefix={prefix} until={node.until} onChange={(until) => update({ until })} />
      )}
      {mode === "field" && (
        <>
          <Field
            id={`${prefix}-field`}
            label="Date field"
            value={node.untilField ?? ""}
            options={[
              { value: "", label: "Choose a date field…" },
              ...dateFields.map((field) => ({ value: field.key, label: field.label })),
            ]}
            onInput={(untilField) => update({ untilField })}
          />
          <DayOffset
            id={`${prefix}-offset`}
            value={node.offsetDays ?? 0}
            onChange={(offsetDays) => update({ offsetDays })}
          />
        </>
      )}
    </>
  );
}

/** The next `time` on one of the weekdays (none ticked: any day), in a zone. */
function UntilFields({
  prefix,
  until,
  onChange,
}: {
  prefix: string;
  until: Until;
  onChange: (until: Until) => void;
}) {
  return (
    <>
      <TimeField
        id={`${prefix}-time`}
        label="Time of day"
        value={until.time}
        onChange={(time) => onChange({ ...until, time })}
      />
      <CheckboxGroup
        id={`${prefix}-weekdays`}
        legend="On (none ticked: any day)"
        options={WEEKDAYS}
        selected={new Set((until.weekdays ?? []).map(String))}
        onChange={(days) => {
          const weekdays = [...days].map(Number).sort((a, b) => a - b);
          onChange({ ...until, weekdays: weekdays.length ? weekdays : undefined });
        }}
      />
      <ZoneSelect
        id={`${prefix}-zone`}
        value={until.timezone}
        onChange={(timezone) => onChange({ ...until, timezone })}
      />
    </>
  );
}

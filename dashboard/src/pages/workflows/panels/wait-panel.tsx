import type { NodeOf } from "../../../api/workflows";
import { CheckboxGroup } from "../../../components/checkbox-group";
import { Field } from "../../../components/field";
import { t } from "../../../i18n";
import { weekdayName } from "../summary";
import { DurationField } from "./duration-field";
import { DayOffset, TimeField, ZoneSelect } from "./small-fields";
import type { PanelProps } from "./types";

type Mode = "duration" | "until" | "field";
type Until = NonNullable<NodeOf<"wait">["until"]>;

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
        label={t("workflows.wait.mode")}
        value={mode}
        options={[
          { value: "duration", label: t("workflows.wait.duration") },
          { value: "until", label: t("workflows.wait.until") },
          { value: "field", label: t("workflows.wait.field") },
        ]}
        onInput={switchTo}
      />
      {mode === "duration" && (
        <DurationField
          id={`${prefix}-seconds`}
          label={t("workflows.wait.howLong")}
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
            label={t("workflows.dateField")}
            value={node.untilField ?? ""}
            options={[
              { value: "", label: t("workflows.chooseDateField") },
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
        label={t("workflows.wait.time")}
        value={until.time}
        onChange={(time) => onChange({ ...until, time })}
      />
      <CheckboxGroup
        id={`${prefix}-weekdays`}
        legend={t("workflows.wait.weekdays")}
        options={[1, 2, 3, 4, 5, 6, 7].map((day) => ({
          value: String(day),
          label: weekdayName(day, "long"),
        }))}
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

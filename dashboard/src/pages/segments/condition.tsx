import type { AudienceList, FieldDef, FieldOp } from "../../api/segments-imports";
import {
  blankCondition,
  CONDITION_TYPES,
  type Condition,
  type ConditionType,
  defaultOp,
  OP_LABELS,
  OPS_BY_TYPE,
  STATUSES,
} from "./model";

interface ConditionEditorProps {
  condition: Condition;
  fields: readonly FieldDef[];
  lists: readonly AudienceList[];
  onChange: (condition: Condition) => void;
}

/** The controls of one condition: its kind, then what that kind needs. */
export function ConditionEditor({ condition, fields, lists, onChange }: ConditionEditorProps) {
  return (
    <div class="rule-condition__controls">
      <select
        aria-label="Condition type"
        value={condition.type}
        onChange={(event) => onChange(blankCondition(toType(event.currentTarget.value), fields))}
      >
        {CONDITION_TYPES.map((type) => (
          <option key={type.value} value={type.value}>
            {type.label}
          </option>
        ))}
      </select>
      <Controls condition={condition} fields={fields} lists={lists} onChange={onChange} />
    </div>
  );
}

function Controls({ condition, fields, lists, onChange }: ConditionEditorProps) {
  switch (condition.type) {
    case "field":
      return <FieldControls condition={condition} fields={fields} onChange={onChange} />;
    case "list":
      return (
        <>
          <span class="rule-word">is a member of</span>
          <select
            aria-label="List"
            value={condition.list}
            onChange={(event) => onChange({ ...condition, list: event.currentTarget.value })}
          >
            <option value="">Choose a list…</option>
            {lists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
        </>
      );
    case "status":
      return (
        <>
          <span class="rule-word">is</span>
          <select
            aria-label="Status"
            value={condition.status}
            onChange={(event) => {
              const status = STATUSES.find((value) => value === event.currentTarget.value);
              if (status) onChange({ ...condition, status });
            }}
          >
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </>
      );
    case "signup":
      return (
        <>
          <span class="rule-word">the last</span>
          <NumberInput
            label="Days"
            value={condition.days}
            onInput={(days) => onChange({ ...condition, days })}
          />
          <span class="rule-word">days</span>
        </>
      );
    case "engagement":
      return <EngagementControls condition={condition} onChange={onChange} />;
  }
}

type FieldCondition = Extract<Condition, { type: "field" }>;

function FieldControls({
  condition,
  fields,
  onChange,
}: {
  condition: FieldCondition;
  fields: readonly FieldDef[];
  onChange: (condition: Condition) => void;
}) {
  if (fields.length === 0) {
    return <span class="muted">No custom fields yet: define them on the Fields page.</span>;
  }
  const def = fields.find((field) => field.key === condition.field);
  const ops = def ? OPS_BY_TYPE[def.type] : [];
  return (
    <>
      <select
        aria-label="Field"
        value={condition.field}
        onChange={(event) => {
          const next = fields.find((field) => field.key === event.currentTarget.value);
          if (!next) return;
          const op = OPS_BY_TYPE[next.type].includes(condition.op) ? condition.op : defaultOp(next.type);
          onChange({
            ...condition,
            field: next.key,
            op,
            value: next.type === def?.type ? condition.value : "",
          });
        }}
      >
        {!def && <option value="">Choose a field…</option>}
        {fields.map((field) => (
          <option key={field.key} value={field.key}>
            {field.label}
          </option>
        ))}
      </select>
      {def && (
        <select
          aria-label="Operator"
          value={condition.op}
          onChange={(event) => {
            const op = ops.find((value) => value === event.currentTarget.value);
            if (op) onChange({ ...condition, op });
          }}
        >
          {ops.map((op) => (
            <option key={op} value={op}>
              {OP_LABELS[op]}
            </option>
          ))}
        </select>
      )}
      {def && condition.op !== "isSet" && (
        <ValueInput
          def={def}
          op={condition.op}
          value={condition.value}
          onInput={(value) => onChange({ ...condition, value })}
        />
      )}
    </>
  );
}

function ValueInput({
  def,
  op,
  value,
  onInput,
}: {
  def: FieldDef;
  op: FieldOp;
  value: string;
  onInput: (value: string) => void;
}) {
  if (op === "withinDays") {
    return (
      <>
        <NumberInput label="Days" value={value} onInput={onInput} />
        <span class="rule-word">days</span>
      </>
    );
  }
  if (def.type === "boolean" || def.type === "select") {
    const options = def.type === "boolean" ? ["true", "false"] : (def.options ?? []);
    return (
      <select aria-label="Value" value={value} onChange={(event) => onInput(event.currentTarget.value)}>
        <option value="">Choose…</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {def.type === "boolean" ? (option === "true" ? "yes" : "no") : option}
          </option>
        ))}
      </select>
    );
  }
  if (def.type === "date") {
    return (
      <input
        type="date"
        aria-label="Value"
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
    );
  }
  if (def.type === "number") {
    return <NumberInput label="Value" value={value} onInput={onInput} step="any" />;
  }
  return (
    <input
      type="text"
      aria-label="Value"
      value={value}
      onInput={(event) => onInput(event.currentTarget.value)}
    />
  );
}

type EngagementCondition = Extract<Condition, { type: "engagement" }>;

function EngagementControls({
  condition,
  onChange,
}: {
  condition: EngagementCondition;
  onChange: (condition: Condition) => void;
}) {
  const anyCampaign = condition.campaign === "any";
  return (
    <>
      <select
        aria-label="Event"
        value={condition.event}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (value === "opened" || value === "clicked" || value === "never")
            onChange({ ...condition, event: value });
        }}
      >
        <option value="opened">opened</option>
        <option value="clicked">clicked</option>
        <option value="never">never opened</option>
      </select>
      <select
        aria-label="Campaign"
        value={anyCampaign ? "any" : "one"}
        onChange={(event) =>
          onChange({ ...condition, campaign: event.currentTarget.value === "any" ? "any" : "" })
        }
      >
        <option value="any">any campaign</option>
        <option value="one">the campaign with id…</option>
      </select>
      {!anyCampaign && (
        <input
          type="text"
          aria-label="Campaign id"
          placeholder="Campaign id"
          value={condition.campaign}
          onInput={(event) => onChange({ ...condition, campaign: event.currentTarget.value })}
        />
      )}
      {condition.event !== "never" && (
        <>
          <span class="rule-word">within the last</span>
          <NumberInput
            label="Within days"
            value={condition.withinDays}
            placeholder="any time"
            onInput={(withinDays) => onChange({ ...condition, withinDays })}
          />
          <span class="rule-word">days</span>
        </>
      )}
    </>
  );
}

function NumberInput(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  step?: string;
  placeholder?: string;
}) {
  return (
    <input
      type="number"
      class="rule-number"
      aria-label={props.label}
      value={props.value}
      step={props.step ?? "1"}
      min={props.step ? undefined : "1"}
      placeholder={props.placeholder}
      onInput={(event) => props.onInput(event.currentTarget.value)}
    />
  );
}

function toType(value: string): ConditionType {
  return CONDITION_TYPES.find((type) => type.value === value)?.value ?? "field";
}

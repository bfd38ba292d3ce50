import type { AudienceList, FieldDef, FieldOp } from "../../api/segments-imports";
import { t } from "../../i18n";
import {
  blankCondition,
  CONDITION_TYPES,
  type Condition,
  type ConditionType,
  conditionTypeLabel,
  defaultOp,
  OPS_BY_TYPE,
  opLabel,
  STATUSES,
  statusLabel,
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
        aria-label={t("segments.condition.type")}
        value={condition.type}
        onChange={(event) => onChange(blankCondition(toType(event.currentTarget.value), fields))}
      >
        {CONDITION_TYPES.map((type) => (
          <option key={type} value={type}>
            {conditionTypeLabel(type)}
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
          <span class="rule-word">{t("segments.condition.memberOf")}</span>
          <select
            aria-label={t("segments.condition.list")}
            value={condition.list}
            onChange={(event) => onChange({ ...condition, list: event.currentTarget.value })}
          >
            <option value="">{t("segments.condition.chooseList")}</option>
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
          <span class="rule-word">{t("segments.condition.is")}</span>
          <select
            aria-label={t("common.status")}
            value={condition.status}
            onChange={(event) => {
              const status = STATUSES.find((value) => value === event.currentTarget.value);
              if (status) onChange({ ...condition, status });
            }}
          >
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {statusLabel(status)}
              </option>
            ))}
          </select>
        </>
      );
    case "signup":
      return (
        <>
          <span class="rule-word">{t("segments.condition.theLast")}</span>
          <NumberInput
            label={t("segments.condition.daysLabel")}
            value={condition.days}
            onInput={(days) => onChange({ ...condition, days })}
          />
          <span class="rule-word">{t("segments.condition.days")}</span>
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
    return <span class="muted">{t("segments.condition.noFields")}</span>;
  }
  const def = fields.find((field) => field.key === condition.field);
  const ops = def ? OPS_BY_TYPE[def.type] : [];
  return (
    <>
      <select
        aria-label={t("segments.condition.field")}
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
        {!def && <option value="">{t("segments.condition.chooseField")}</option>}
        {fields.map((field) => (
          <option key={field.key} value={field.key}>
            {field.label}
          </option>
        ))}
      </select>
      {def && (
        <select
          aria-label={t("segments.condition.operator")}
          value={condition.op}
          onChange={(event) => {
            const op = ops.find((value) => value === event.currentTarget.value);
            if (op) onChange({ ...condition, op });
          }}
        >
          {ops.map((op) => (
            <option key={op} value={op}>
              {opLabel(op)}
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
        <NumberInput label={t("segments.condition.daysLabel")} value={value} onInput={onInput} />
        <span class="rule-word">{t("segments.condition.days")}</span>
      </>
    );
  }
  if (def.type === "boolean" || def.type === "select") {
    const options = def.type === "boolean" ? ["true", "false"] : (def.options ?? []);
    return (
      <select
        aria-label={t("common.value")}
        value={value}
        onChange={(event) => onInput(event.currentTarget.value)}
      >
        <option value="">{t("segments.condition.choose")}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {def.type === "boolean"
              ? t(option === "true" ? "segments.condition.yes" : "segments.condition.no")
              : option}
          </option>
        ))}
      </select>
    );
  }
  if (def.type === "date") {
    return (
      <input
        type="date"
        aria-label={t("common.value")}
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
    );
  }
  if (def.type === "number") {
    return <NumberInput label={t("common.value")} value={value} onInput={onInput} step="any" />;
  }
  return (
    <input
      type="text"
      aria-label={t("common.value")}
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
        aria-label={t("segments.condition.event")}
        value={condition.event}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (value === "opened" || value === "clicked" || value === "never")
            onChange({ ...condition, event: value });
        }}
      >
        <option value="opened">{t("segments.condition.opened")}</option>
        <option value="clicked">{t("segments.condition.clicked")}</option>
        <option value="never">{t("segments.condition.neverOpened")}</option>
      </select>
      <select
        aria-label={t("segments.condition.campaign")}
        value={anyCampaign ? "any" : "one"}
        onChange={(event) =>
          onChange({ ...condition, campaign: event.currentTarget.value === "any" ? "any" : "" })
        }
      >
        <option value="any">{t("segments.condition.anyCampaign")}</option>
        <option value="one">{t("segments.condition.oneCampaign")}</option>
      </select>
      {!anyCampaign && (
        <input
          type="text"
          aria-label={t("segments.condition.campaignId")}
          placeholder={t("segments.condition.campaignId")}
          value={condition.campaign}
          onInput={(event) => onChange({ ...condition, campaign: event.currentTarget.value })}
        />
      )}
      {condition.event !== "never" && (
        <>
          <span class="rule-word">{t("segments.condition.withinTheLast")}</span>
          <NumberInput
            label={t("segments.condition.withinDays")}
            value={condition.withinDays}
            placeholder={t("segments.condition.anyTime")}
            onInput={(withinDays) => onChange({ ...condition, withinDays })}
          />
          <span class="rule-word">{t("segments.condition.days")}</span>
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
  return CONDITION_TYPES.find((type) => type === value) ?? "field";
}

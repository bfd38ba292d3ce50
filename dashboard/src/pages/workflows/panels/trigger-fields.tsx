import type { TriggerType, WorkflowTrigger } from "../../../api/workflows";
import { Field } from "../../../components/field";
import { t } from "../../../i18n";
import type { Lookups } from "../lookups";
import { TRIGGER_TYPES, triggerLabel } from "../model";
import { DayOffset, TimeField } from "./small-fields";

interface TriggerFieldsProps {
  trigger: WorkflowTrigger;
  lookups: Lookups;
  onChange: (trigger: WorkflowTrigger) => void;
}

/** A blank trigger of `type`, keeping whether current matches enter on activation. */
export function blankTrigger(type: TriggerType, existing: boolean | undefined): WorkflowTrigger {
  const keep = existing ? { existing } : {};
  switch (type) {
    case "list_joined":
      return { type, listId: "", ...keep };
    case "event":
      return { type, name: "", ...keep };
    case "segment_entered":
      return { type, segmentId: "", ...keep };
    case "date_field":
      return { type, field: "", offsetDays: 0, time: "09:00", ...keep };
    case "campaign_activity":
      return { type, campaignId: "", activity: "opened", ...keep };
  }
}

/** The trigger's type and what that type needs. */
export function TriggerFields({ trigger, lookups, onChange }: TriggerFieldsProps) {
  const types = TRIGGER_TYPES.map((value) => ({ value, label: triggerLabel(value) }));
  return (
    <>
      <Field
        id="trigger-type"
        label={t("workflows.trigger.type")}
        value={trigger.type}
        options={types}
        onInput={(type) => onChange(blankTrigger(type as TriggerType, trigger.existing))}
      />
      <TypeSettings trigger={trigger} lookups={lookups} onChange={onChange} />
    </>
  );
}

type Of<T extends WorkflowTrigger["type"]> = Extract<WorkflowTrigger, { type: T }>;
interface SettingsProps<T extends WorkflowTrigger["type"]> {
  trigger: Of<T>;
  lookups: Lookups;
  onChange: (trigger: WorkflowTrigger) => void;
}

function TypeSettings({ trigger, lookups, onChange }: TriggerFieldsProps) {
  switch (trigger.type) {
    case "list_joined":
      return <ListTrigger trigger={trigger} lookups={lookups} onChange={onChange} />;
    case "event":
      return (
        <Field
          id="trigger-event"
          label={t("workflows.eventName")}
          value={trigger.name}
          // i18n-ignore
          placeholder="cart_abandoned"
          onInput={(name) => onChange({ ...trigger, name })}
          hint={t("workflows.trigger.eventHint")}
        />
      );
    case "segment_entered":
      return <SegmentTrigger trigger={trigger} lookups={lookups} onChange={onChange} />;
    case "date_field":
      return <DateTrigger trigger={trigger} lookups={lookups} onChange={onChange} />;
    case "campaign_activity":
      return <CampaignTrigger trigger={trigger} lookups={lookups} onChange={onChange} />;
  }
}

const pick = (label: string) => [{ value: "", label }];

function ListTrigger({ trigger, lookups, onChange }: SettingsProps<"list_joined">) {
  return (
    <Field
      id="trigger-list"
      label={t("workflows.trigger.list")}
      value={trigger.listId}
      options={[
        ...pick(t("workflows.trigger.chooseList")),
        ...lookups.lists.map((list) => ({ value: list.id, label: list.name })),
      ]}
      onInput={(listId) => onChange({ ...trigger, listId })}
      hint={t("workflows.trigger.listHint")}
    />
  );
}

function SegmentTrigger({ trigger, lookups, onChange }: SettingsProps<"segment_entered">) {
  return (
    <Field
      id="trigger-segment"
      label={t("workflows.trigger.segment")}
      value={trigger.segmentId}
      options={[
        ...pick(t("workflows.trigger.chooseSegment")),
        ...lookups.segments.map((segment) => ({ value: segment.id, label: segment.name })),
      ]}
      onInput={(segmentId) => onChange({ ...trigger, segmentId })}
      hint={t("workflows.trigger.segmentHint")}
    />
  );
}

function DateTrigger({ trigger, lookups, onChange }: SettingsProps<"date_field">) {
  const dates = lookups.fields.filter((field) => field.type === "date");
  return (
    <>
      <Field
        id="trigger-field"
        label={t("workflows.dateField")}
        value={trigger.field}
        options={[
          ...pick(t("workflows.chooseDateField")),
          ...dates.map((field) => ({ value: field.key, label: field.label })),
        ]}
        onInput={(field) => onChange({ ...trigger, field })}
      />
      <DayOffset
        id="trigger-offset"
        value={trigger.offsetDays ?? 0}
        onChange={(offsetDays) => onChange({ ...trigger, offsetDays })}
      />
      <TimeField
        id="trigger-time"
        label={t("workflows.trigger.at")}
        value={trigger.time ?? "09:00"}
        onChange={(time) => onChange({ ...trigger, time })}
      />
    </>
  );
}

function CampaignTrigger({ trigger, lookups, onChange }: SettingsProps<"campaign_activity">) {
  return (
    <>
      <Field
        id="trigger-campaign"
        label={t("workflows.trigger.campaign")}
        value={trigger.campaignId}
        options={[
          ...pick(t("workflows.trigger.chooseCampaign")),
          ...lookups.campaigns.map((campaign) => ({ value: campaign.id, label: campaign.name })),
        ]}
        onInput={(campaignId) => onChange({ ...trigger, campaignId })}
      />
      <Field
        id="trigger-activity"
        label={t("workflows.trigger.when")}
        value={trigger.activity}
        options={[
          { value: "opened", label: t("workflows.trigger.openIt") },
          { value: "clicked", label: t("workflows.trigger.clickIt") },
        ]}
        onInput={(activity) =>
          onChange({ ...trigger, activity: activity === "clicked" ? "clicked" : "opened" })
        }
      />
    </>
  );
}

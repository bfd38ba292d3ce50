import type { TriggerType, WorkflowTrigger } from "../../../api/workflows";
import { Field } from "../../../components/field";
import type { Lookups } from "../lookups";
import { TRIGGER_LABELS } from "../model";
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
  const types = Object.entries(TRIGGER_LABELS).map(([value, label]) => ({ value, label }));
  return (
    <>
      <Field
        id="trigger-type"
        label="Starts when a subscriber"
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
          label="Event name"
          value={trigger.name}
          placeholder="cart_abandoned"
          onInput={(name) => onChange({ ...trigger, name })}
          hint="Sent with POST /api/v1/events {email, name, properties}."
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
      label="List"
      value={trigger.listId}
      options={[
        ...pick("Choose a list…"),
        ...lookups.lists.map((list) => ({ value: list.id, label: list.name })),
      ]}
      onInput={(listId) => onChange({ ...trigger, listId })}
      hint="On double opt-in lists, once the subscriber confirms."
    />
  );
}

function SegmentTrigger({ trigger, lookups, onChange }: SettingsProps<"segment_entered">) {
  return (
    <Field
      id="trigger-segment"
      label="Segment"
      value={trigger.segmentId}
      options={[
        ...pick("Choose a segment…"),
        ...lookups.segments.map((segment) => ({ value: segment.id, label: segment.name })),
      ]}
      onInput={(segmentId) => onChange({ ...trigger, segmentId })}
      hint="Checked every minute; subscribers enter when they start to match."
    />
  );
}

function DateTrigger({ trigger, lookups, onChange }: SettingsProps<"date_field">) {
  const dates = lookups.fields.filter((field) => field.type === "date");
  return (
    <>
      <Field
        id="trigger-field"
        label="Date field"
        value={trigger.field}
        options={[
          ...pick("Choose a date field…"),
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
        label="At (subscriber's time zone)"
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
        label="Campaign"
        value={trigger.campaignId}
        options={[
          ...pick("Choose a campaign…"),
          ...lookups.campaigns.map((campaign) => ({ value: campaign.id, label: campaign.name })),
        ]}
        onInput={(campaignId) => onChange({ ...trigger, campaignId })}
      />
      <Field
        id="trigger-activity"
        label="When they"
        value={trigger.activity}
        options={[
          { value: "opened", label: "open it" },
          { value: "clicked", label: "click a link in it" },
        ]}
        onInput={(activity) =>
          onChange({ ...trigger, activity: activity === "clicked" ? "clicked" : "opened" })
        }
      />
    </>
  );
}

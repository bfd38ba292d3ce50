import type { Reentry, WorkflowTrigger } from "../../../api/workflows";
import { Checkbox } from "../../../components/checkbox-group";
import { Field } from "../../../components/field";
import type { Lookups } from "../lookups";
import { REENTRY_LABELS, type WorkflowDoc } from "../model";
import type { Placed } from "../problems";
import type { Editor } from "../use-editor";
import { GoalField } from "./goal-field";
import { Problems } from "./node-panel";
import { TriggerFields } from "./trigger-fields";

interface SettingsPanelProps {
  doc: WorkflowDoc;
  lookups: Lookups;
  editor: Editor;
  placed: Placed;
  readOnly: boolean;
}

/** The workflow as a whole: its name, trigger, who may enter again, and the goal. */
export function SettingsPanel({ doc, lookups, editor, placed, readOnly }: SettingsPanelProps) {
  const edit = (patch: Partial<WorkflowDoc>, scope: string) =>
    editor.change((current) => ({ ...current, ...patch }), scope);
  const setTrigger = (trigger: WorkflowTrigger) => edit({ trigger }, "trigger");
  return (
    <section class="wf-panel" aria-label="Workflow settings" data-testid="settings-panel">
      <header class="wf-panel__head">
        <h2>Workflow</h2>
      </header>
      <fieldset class="wf-panel__fields" disabled={readOnly}>
        <Field
          id="workflow-name"
          label="Name"
          value={doc.name}
          onInput={(name) => edit({ name: name.slice(0, 200) }, "name")}
          error={placed.get("name")?.[0]}
        />
        <h3 class="wf-panel__section">Trigger</h3>
        <Problems problems={placed.get("trigger") ?? []} />
        <TriggerFields trigger={doc.trigger} lookups={lookups} onChange={setTrigger} />
        <Checkbox
          id="trigger-existing"
          label="Also enter everyone who matches now, when the workflow is activated"
          checked={doc.trigger.existing === true}
          onChange={(existing) => setTrigger({ ...doc.trigger, existing: existing || undefined })}
        />
        <Field
          id="workflow-reentry"
          label="A subscriber may enter"
          value={doc.reentry}
          options={Object.entries(REENTRY_LABELS).map(([value, label]) => ({ value, label }))}
          onInput={(reentry) => edit({ reentry: reentry as Reentry }, "reentry")}
        />
        <h3 class="wf-panel__section">Goal</h3>
        <GoalField
          goal={doc.goal}
          lookups={lookups}
          editor={editor}
          onChange={(goal) => edit({ goal }, "goal")}
        />
      </fieldset>
    </section>
  );
}

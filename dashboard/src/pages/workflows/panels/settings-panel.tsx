import type { Reentry, WorkflowTrigger } from "../../../api/workflows";
import { Checkbox } from "../../../components/checkbox-group";
import { Field } from "../../../components/field";
import { t } from "../../../i18n";
import type { Lookups } from "../lookups";
import { REENTRIES, reentryLabel, type WorkflowDoc } from "../model";
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
    <section class="wf-panel" aria-label={t("workflows.settings.label")} data-testid="settings-panel">
      <header class="wf-panel__head">
        <h2>{t("workflows.editor.workflow")}</h2>
      </header>
      <fieldset class="wf-panel__fields" disabled={readOnly}>
        <Field
          id="workflow-name"
          label={t("common.name")}
          value={doc.name}
          onInput={(name) => edit({ name: name.slice(0, 200) }, "name")}
          error={placed.get("name")?.[0]}
        />
        <h3 class="wf-panel__section">{t("workflows.card.trigger")}</h3>
        <Problems problems={placed.get("trigger") ?? []} />
        <TriggerFields trigger={doc.trigger} lookups={lookups} onChange={setTrigger} />
        <Checkbox
          id="trigger-existing"
          label={t("workflows.settings.existing")}
          checked={doc.trigger.existing === true}
          onChange={(existing) => setTrigger({ ...doc.trigger, existing: existing || undefined })}
        />
        <Field
          id="workflow-reentry"
          label={t("workflows.settings.reentry")}
          value={doc.reentry}
          options={REENTRIES.map((value) => ({ value, label: reentryLabel(value) }))}
          onInput={(reentry) => edit({ reentry: reentry as Reentry }, "reentry")}
        />
        <h3 class="wf-panel__section">{t("workflows.settings.goal")}</h3>
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

import type { WorkflowNode } from "../../../api/workflows";
import { Field } from "../../../components/field";
import { t } from "../../../i18n";
import { deletedWith, deleteNode } from "../graph-edit";
import { typeLabel } from "../model";
import { ConditionPanel } from "./condition-panel";
import { SendPanel } from "./send-panel";
import { SplitPanel } from "./split-panel";
import { optional, type PanelProps } from "./types";
import { UpdatePanel } from "./update-panel";
import { WaitEventPanel } from "./wait-event-panel";
import { WaitPanel } from "./wait-panel";
import { WebhookPanel } from "./webhook-panel";

type NodePanelProps = Omit<PanelProps<WorkflowNode["type"]>, "node" | "update"> & {
  node: WorkflowNode;
  problems: readonly string[];
  readOnly: boolean;
};

/** The selected step: its label, its type's settings, its problems, and "Delete step". */
export function NodePanel({ node, problems, readOnly, ...context }: NodePanelProps) {
  const { editor, doc } = context;
  const update = (patch: Partial<WorkflowNode>) =>
    editor.change(
      (current) => ({
        ...current,
        nodes: current.nodes.map((candidate) =>
          candidate.id === node.id ? ({ ...candidate, ...patch } as WorkflowNode) : candidate,
        ),
      }),
      node.id,
    );
  const alsoGone = deletedWith(doc, node.id);
  const leadsOn = doc.edges.some((edge) => edge.from === node.id);
  return (
    <section
      class="wf-panel"
      aria-label={t("workflows.panel.settingsOf", { type: typeLabel(node.type) })}
      data-testid="node-panel"
    >
      <header class="wf-panel__head">
        <h2>{typeLabel(node.type)}</h2>
        <code class="muted" title={t("workflows.panel.stepId")}>
          {node.id}
        </code>
      </header>
      <Problems problems={problems} />
      <fieldset class="wf-panel__fields" disabled={readOnly}>
        <Field
          id={`node-${node.id}-label`}
          label={t("workflows.panel.label")}
          value={node.label ?? ""}
          onInput={(label) => update({ label: optional(label) })}
        />
        <TypeFields node={node} update={update} {...context} />
      </fieldset>
      {!readOnly && (
        <div class="wf-panel__delete">
          <button
            type="button"
            class="button button--danger-quiet"
            onClick={() => {
              editor.change((current) => deleteNode(current, node.id));
              editor.selected.value = null;
            }}
          >
            {t("workflows.panel.delete")}
          </button>
          <p class="field__hint">
            {alsoGone > 0
              ? t("workflows.panel.deleteBranches", { count: alsoGone })
              : leadsOn
                ? t("workflows.panel.deleteNext")
                : t("workflows.panel.deleteUndo")}
          </p>
        </div>
      )}
    </section>
  );
}

function TypeFields(props: Omit<PanelProps<WorkflowNode["type"]>, "node"> & { node: WorkflowNode }) {
  const { node, ...rest } = props;
  switch (node.type) {
    case "send":
      return <SendPanel node={node} {...rest} />;
    case "wait":
      return <WaitPanel node={node} {...rest} />;
    case "wait_event":
      return <WaitEventPanel node={node} {...rest} />;
    case "condition":
      return <ConditionPanel node={node} {...rest} />;
    case "split":
      return <SplitPanel node={node} {...rest} />;
    case "update":
      return <UpdatePanel node={node} {...rest} />;
    case "webhook":
      return <WebhookPanel node={node} {...rest} />;
    case "exit":
      return <p class="muted">{t("workflows.panel.exit")}</p>;
  }
}

/** The problems of the selected step or of the trigger, in full. */
export function Problems({ problems }: { problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <ul class="wf-panel__problems" data-testid="panel-problems">
      {problems.map((problem) => (
        <li key={problem} class="field__error">
          {problem}
        </li>
      ))}
    </ul>
  );
}

import { useSignal } from "@preact/signals";
import { t } from "../../../i18n";
import { addSplitBranch, removeSplitBranch } from "../graph-edit";
import { branchLabel } from "../model";
import type { PanelProps } from "./types";

/** Random split: one weight per branch (2 to 10); each branch gets its share of subscribers. */
export function SplitPanel({ node, update, editor }: PanelProps<"split">) {
  const setWeight = (index: number, weight: number) =>
    update({ weights: node.weights.map((value, at) => (at === index ? weight : value)) });
  return (
    <fieldset class="field checks">
      <legend>{t("workflows.split.branches")}</legend>
      {node.weights.map((weight, index) => (
        <div class="wf-split__row" key={index}>
          <WeightInput
            id={`node-${node.id}-weight-${index}`}
            label={t("workflows.split.weight", { n: index + 1 })}
            value={weight}
            onChange={(value) => setWeight(index, value)}
          />
          <span class="muted wf-split__share">{branchLabel(node, String(index))}</span>
          {node.weights.length > 2 && (
            <button
              type="button"
              class="icon-button"
              aria-label={t("workflows.split.remove", { n: index + 1 })}
              title={t("workflows.split.removeTitle")}
              onClick={() => editor.change((doc) => removeSplitBranch(doc, node.id, index))}
            >
              ✕
            </button>
          )}
        </div>
      ))}
      {node.weights.length < 10 && (
        <button
          type="button"
          class="button button--small"
          onClick={() => editor.change((doc) => addSplitBranch(doc, node.id))}
        >
          {t("workflows.split.add")}
        </button>
      )}
    </fieldset>
  );
}

/** A whole weight 0-1000, kept as text while typed. */
function WeightInput(props: {
  id: string;
  label: string;
  value: number;
  onChange: (weight: number) => void;
}) {
  const text = useSignal(String(props.value));
  const valid = /^\d+$/.test(text.value) && Number(text.value) <= 1000;
  return (
    <label class={valid ? "field wf-split__weight" : "field wf-split__weight field--invalid"}>
      <span>{props.label}</span>
      <input
        id={props.id}
        type="number"
        min="0"
        max="1000"
        step="1"
        value={text.value}
        onInput={(event) => {
          text.value = event.currentTarget.value;
          if (/^\d+$/.test(text.value) && Number(text.value) <= 1000) props.onChange(Number(text.value));
        }}
      />
    </label>
  );
}

import type { Lookups } from "../lookups";
import type { Placed } from "../problems";
import type { Editor } from "../use-editor";
import { NodePanel } from "./node-panel";
import { SettingsPanel } from "./settings-panel";

interface SidePanelProps {
  editor: Editor;
  lookups: Lookups;
  placed: Placed;
  readOnly: boolean;
}

/**
 * The selected step's panel, or the workflow's settings. Keyed by the editor's revision: typing
 * never remounts the inputs (no lost keys, no jumping caret); an undo or redo does, so they show it.
 */
export function SidePanel({ editor, lookups, placed, readOnly }: SidePanelProps) {
  const { doc, revision } = editor.state.value;
  const selected = editor.selected.value;
  const node =
    selected && selected !== "trigger" ? doc.nodes.find((candidate) => candidate.id === selected) : undefined;
  return (
    <aside class="wf-side card">
      {node ? (
        <NodePanel
          key={`${node.id}:${revision}`}
          node={node}
          problems={placed.get(node.id) ?? []}
          readOnly={readOnly}
          doc={doc}
          lookups={lookups}
          editor={editor}
        />
      ) : (
        <SettingsPanel
          key={`settings:${revision}`}
          doc={doc}
          lookups={lookups}
          editor={editor}
          placed={placed}
          readOnly={readOnly}
        />
      )}
    </aside>
  );
}

import { useSignal } from "@preact/signals";
import { useEffect, useMemo } from "preact/hooks";
import type { Rule } from "../../../api/segments-imports";
import { SegmentBuilder } from "../../segments/builder";
import { compile, decompile, type GroupNode } from "../../segments/model";
import type { Lookups } from "../lookups";
import type { Editor } from "../use-editor";
import "../../segments/segments.css";

interface RuleFieldProps {
  /** The node id, or "goal": where the editor keeps this builder's unfinished tree. */
  ruleKey: string;
  /** The rule as the document holds it (a segment rule the API validated, or a fresh `{and: []}`). */
  rule: Record<string, unknown>;
  lookups: Lookups;
  editor: Editor;
  onRule: (rule: Rule) => void;
}

/**
 * The segments page's rule builder, for a condition node or the goal. A rule is written to the
 * document only when every condition in it is complete; meanwhile the node is marked unfinished
 * (which stops a save) and the tree is kept by the editor, so switching nodes loses nothing.
 */
export function RuleField({ ruleKey, rule, lookups, editor, onRule }: RuleFieldProps) {
  const kept = editor.ruleDrafts.get(ruleKey);
  // The API validated the stored rule against the same tree the builder writes.
  const root = useSignal<GroupNode>(kept ?? decompile(rule as unknown as Rule));
  const compiled = useMemo(() => compile(root.value, lookups.fields), [root.value, lookups.fields]);
  const hints = new Map(compiled.problems.map((problem) => [problem.id, problem.messageKey]));
  useEffect(() => {
    if (!kept) editor.markIncomplete(ruleKey, false);
  }, []);

  return (
    <SegmentBuilder
      root={root.value}
      fields={lookups.fields}
      lists={lookups.lists}
      messages={new Map()}
      hints={hints}
      onChange={(next) => {
        root.value = next;
        const result = compile(next, lookups.fields);
        const complete = result.problems.length === 0;
        editor.ruleDrafts.set(ruleKey, next);
        editor.markIncomplete(ruleKey, !complete);
        if (complete) onRule(result.rule);
      }}
    />
  );
}

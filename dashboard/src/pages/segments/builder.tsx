import type { AudienceList, FieldDef } from "../../api/segments-imports";
import { t } from "../../i18n";
import { ConditionEditor } from "./condition";
import {
  type BuilderNode,
  type ConditionNode,
  edit,
  type GroupNode,
  hasConditions,
  newCondition,
  newGroup,
} from "./model";

export interface BuilderContext {
  fields: readonly FieldDef[];
  lists: readonly AudienceList[];
  /** The server's issues, by node id. */
  messages: Map<string, string[]>;
  /** What is still missing before the rules can be checked (a catalogue key), by node id. */
  hints: Map<string, string>;
  change: (id: string, update: (node: BuilderNode) => BuilderNode | null) => void;
}

interface BuilderProps {
  root: GroupNode;
  fields: readonly FieldDef[];
  lists: readonly AudienceList[];
  messages: Map<string, string[]>;
  hints: Map<string, string>;
  onChange: (root: GroupNode) => void;
}

/** The rule tree as nested and/or groups of conditions, each group and condition negatable. */
export function SegmentBuilder({ root, fields, lists, messages, hints, onChange }: BuilderProps) {
  const context: BuilderContext = {
    fields,
    lists,
    messages,
    hints,
    change: (id, update) => onChange(edit(root, id, update)),
  };
  return (
    <div class="rule-builder" data-testid="segment-builder">
      <Group node={root} depth={0} context={context} />
      {!hasConditions(root) && <p class="muted">{t("segments.builder.noConditions")}</p>}
    </div>
  );
}

function Group({ node, depth, context }: { node: GroupNode; depth: number; context: BuilderContext }) {
  const { change, fields } = context;
  const update = (patch: Partial<GroupNode>) =>
    change(node.id, (current) => ({ ...current, ...patch }) as GroupNode);
  const add = (child: BuilderNode) => update({ children: [...node.children, child] });
  const label =
    depth === 0
      ? t("segments.builder.rules")
      : t(node.op === "and" ? "segments.builder.groupAll" : "segments.builder.groupAny");

  // i18n-ignore
  const classes = `rule-group rule-group--${node.op}${node.not ? " is-negated" : ""}${messageClass(context, node.id)}`;
  return (
    <fieldset class={classes} aria-label={label} data-node={node.id}>
      <div class="rule-group__head">
        <label class="rule-inline">
          <span>{t("segments.builder.match")}</span>
          <select
            aria-label={t("segments.builder.match")}
            value={node.op}
            onChange={(event) => update({ op: event.currentTarget.value === "or" ? "or" : "and" })}
          >
            <option value="and">{t("segments.builder.allOf")}</option>
            <option value="or">{t("segments.builder.anyOf")}</option>
          </select>
          <span>{t("segments.builder.these")}</span>
        </label>
        <div class="rule-condition__tools">
          <NotToggle negated={node.not} onToggle={(not) => update({ not })} what="group" />
          {depth > 0 && <RemoveButton onRemove={() => change(node.id, () => null)} what="group" />}
        </div>
      </div>
      <NodeMessages context={context} id={node.id} />
      <ol class="rule-group__children">
        {node.children.map((child) => (
          <li key={child.id}>
            {child.kind === "group" ? (
              <Group node={child} depth={depth + 1} context={context} />
            ) : (
              <Condition node={child} context={context} />
            )}
          </li>
        ))}
      </ol>
      <div class="rule-group__actions">
        <button
          type="button"
          class="button button--small"
          onClick={() => add(newCondition(firstType(fields), fields))}
        >
          {t("segments.builder.addCondition")}
        </button>
        <button
          type="button"
          class="button button--small"
          onClick={() =>
            add(newGroup(node.op === "and" ? "or" : "and", [newCondition(firstType(fields), fields)]))
          }
        >
          {t("segments.builder.addGroup")}
        </button>
      </div>
    </fieldset>
  );
}

function Condition({ node, context }: { node: ConditionNode; context: BuilderContext }) {
  const { change } = context;
  return (
    <fieldset
      class={`rule-condition${node.not ? " is-negated" : ""}${messageClass(context, node.id)}`}
      aria-label={t("segments.builder.condition")}
      data-node={node.id}
    >
      <div class="rule-condition__row">
        <ConditionEditor
          condition={node.condition}
          fields={context.fields}
          lists={context.lists}
          onChange={(condition) => change(node.id, (current) => ({ ...current, condition }) as ConditionNode)}
        />
        <div class="rule-condition__tools">
          <NotToggle
            negated={node.not}
            onToggle={(not) => change(node.id, (current) => ({ ...current, not }))}
            what="condition"
          />
          <RemoveButton onRemove={() => change(node.id, () => null)} what="condition" />
        </div>
      </div>
      <NodeMessages context={context} id={node.id} />
    </fieldset>
  );
}

function NotToggle({
  negated,
  onToggle,
  what,
}: {
  negated: boolean;
  onToggle: (not: boolean) => void;
  what: "group" | "condition";
}) {
  return (
    <label class="rule-inline rule-not" title={t(`segments.builder.notTitle.${what}`)}>
      <input type="checkbox" checked={negated} onChange={(event) => onToggle(event.currentTarget.checked)} />
      <span>{t("segments.builder.not")}</span>
    </label>
  );
}

function RemoveButton({ onRemove, what }: { onRemove: () => void; what: "group" | "condition" }) {
  const label = t(`segments.builder.remove.${what}`);
  return (
    <button type="button" class="icon-button" aria-label={label} title={label} onClick={onRemove}>
      ✕
    </button>
  );
}

function NodeMessages({ context, id }: { context: BuilderContext; id: string }) {
  const messages = context.messages.get(id) ?? [];
  const hint = context.hints.get(id);
  if (messages.length === 0 && !hint) return null;
  return (
    <ul class="rule-messages">
      {messages.map((message) => (
        <li key={message} class="field__error" data-testid="rule-error">
          {message}
        </li>
      ))}
      {hint && <li class="field__hint">{t(hint)}</li>}
    </ul>
  );
}

/** New conditions start on a field when there are fields to pick from. */
function firstType(fields: readonly FieldDef[]) {
  return fields.length > 0 ? "field" : "status";
}

function messageClass(context: BuilderContext, id: string): string {
  return context.messages.get(id)?.length ? " is-invalid" : "";
}

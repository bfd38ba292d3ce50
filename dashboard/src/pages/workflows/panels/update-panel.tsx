import { useSignal } from "@preact/signals";
import type { FieldDef } from "../../../api/segments-imports";
import { CheckboxGroup } from "../../../components/checkbox-group";
import { t } from "../../../i18n";
import type { PanelProps } from "./types";

type Value = string | number | boolean | null;

/** Update: fields to set, lists to add the subscriber to or remove them from. */
export function UpdatePanel({ node, update, lookups }: PanelProps<"update">) {
  const lists = lookups.lists.map((list) => ({ value: list.id, label: list.name }));
  return (
    <>
      <FieldSetter
        id={`node-${node.id}-set`}
        fields={lookups.fields}
        set={node.set ?? {}}
        onChange={(set) => update({ set: Object.keys(set).length ? set : undefined })}
      />
      <CheckboxGroup
        id={`node-${node.id}-add`}
        legend={t("workflows.update.addLists")}
        options={lists}
        selected={new Set(node.addLists ?? [])}
        onChange={(ids) => update({ addLists: ids.size ? [...ids] : undefined })}
        empty={t("workflows.update.noLists")}
      />
      <CheckboxGroup
        id={`node-${node.id}-remove`}
        legend={t("workflows.update.removeLists")}
        options={lists}
        selected={new Set(node.removeLists ?? [])}
        onChange={(ids) => update({ removeLists: ids.size ? [...ids] : undefined })}
        empty={t("workflows.update.noLists")}
      />
    </>
  );
}

interface Row {
  key: string;
  value: string;
}

/** Rows of field and value; values are typed by the field (numbers, true/false, text). */
function FieldSetter(props: {
  id: string;
  fields: FieldDef[];
  set: Record<string, Value>;
  onChange: (set: Record<string, Value>) => void;
}) {
  const rows = useSignal<Row[]>(
    Object.entries(props.set).map(([key, value]) => ({ key, value: value === null ? "" : String(value) })),
  );
  const byKey = new Map(props.fields.map((field) => [field.key, field]));
  const write = (next: Row[]) => {
    rows.value = next;
    const entries = next
      .filter((row) => row.key)
      .map((row) => [row.key, typed(byKey.get(row.key), row.value)] as const);
    props.onChange(Object.fromEntries(entries));
  };
  const edit = (index: number, patch: Partial<Row>) =>
    write(rows.value.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  return (
    <fieldset class="field checks wf-pairs">
      <legend>{t("workflows.update.setFields")}</legend>
      {rows.value.map((row, index) => (
        <div class="wf-pairs__row" key={index}>
          <select
            aria-label={t("workflows.update.field", { n: index + 1 })}
            value={row.key}
            onChange={(event) => edit(index, { key: event.currentTarget.value })}
          >
            <option value="">{t("workflows.update.chooseField")}</option>
            {props.fields.map((field) => (
              <option key={field.key} value={field.key}>
                {field.label}
              </option>
            ))}
          </select>
          <input
            aria-label={t("workflows.update.value", { n: index + 1 })}
            value={row.value}
            onInput={(event) => edit(index, { value: event.currentTarget.value })}
          />
          <button
            type="button"
            class="icon-button"
            aria-label={t("workflows.update.removeField", { n: index + 1 })}
            onClick={() => write(rows.value.filter((_, at) => at !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        class="button button--small"
        onClick={() => write([...rows.value, { key: "", value: "" }])}
      >
        {t("workflows.update.addField")}
      </button>
      <p class="field__hint">{t("workflows.update.hint")}</p>
    </fieldset>
  );
}

function typed(field: FieldDef | undefined, raw: string): Value {
  if (raw.trim() === "") return null;
  if (field?.type === "number" && Number.isFinite(Number(raw))) return Number(raw);
  if (field?.type === "boolean") return raw.trim().toLowerCase() === "true";
  return raw;
}

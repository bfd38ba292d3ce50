import { useSignal } from "@preact/signals";
import { audience, type Field, type List, type SubscriberChangeResult } from "../../api/audience";
import { nestedErrors } from "../../api/errors";
import { Checkbox, CheckboxGroup } from "../../components/checkbox-group";
import { Field as Input } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";
import { FieldInput, fromInputText } from "./field-values";
import { STATUS_OPTIONS, toStatus } from "./status";

interface CreateSubscriberFormProps {
  fields: Field[];
  lists: List[];
  onCancel: () => void;
  onCreated: (subscriber: SubscriberChangeResult) => void;
}

/** Adds one subscriber: email, name, status, custom fields by type and lists to join. */
export function CreateSubscriberForm({ fields, lists, onCancel, onCreated }: CreateSubscriberFormProps) {
  const form = useForm(
    "new-subscriber",
    { email: "", name: "", status: "active" },
    { conflictField: "email" },
  );
  const fieldTexts = useSignal<Record<string, string>>({});
  const fieldIssues = useSignal<Record<string, string>>({});
  const listIds = useSignal<ReadonlySet<string>>(new Set());
  const listIssue = useSignal<string | undefined>(undefined);
  const preconfirm = useSignal(false);
  const joinsDouble = lists.some((list) => list.optIn === "double" && listIds.value.has(list.id));

  const onSubmit = form.submit(async (values) => {
    fieldIssues.value = {};
    listIssue.value = undefined;
    const fieldValues: Record<string, unknown> = {};
    for (const field of fields) {
      const value = fromInputText(field, fieldTexts.value[field.key] ?? "");
      if (value !== null) fieldValues[field.key] = value;
    }
    try {
      onCreated(
        await audience.subscribers.create({
          email: values.email.trim(),
          name: values.name.trim() || null,
          status: toStatus(values.status),
          fields: fieldValues,
          listIds: [...listIds.value],
          ...(joinsDouble ? { preconfirm: preconfirm.value } : {}),
        }),
      );
    } catch (error) {
      fieldIssues.value = nestedErrors(error, "fields");
      listIssue.value = Object.values(nestedErrors(error, "listIds"))[0];
      throw error;
    }
  });

  return (
    <section class="card form-card" aria-labelledby="new-subscriber-title">
      <h2 id="new-subscriber-title">{t("subscribers.new")}</h2>
      <form class="form form--grid" onSubmit={onSubmit} aria-labelledby="new-subscriber-title">
        <Input {...form.field("email")} label={t("common.email")} type="email" autoComplete="off" required />
        <Input {...form.field("name")} label={t("common.name")} autoComplete="off" />
        <Input {...form.field("status")} label={t("common.status")} options={STATUS_OPTIONS} />
        {fields.map((field) => (
          <FieldInput
            key={field.id}
            idPrefix="new-subscriber-field"
            field={field}
            value={fieldTexts.value[field.key] ?? ""}
            error={fieldIssues.value[field.key]}
            onInput={(text) => {
              fieldTexts.value = { ...fieldTexts.value, [field.key]: text };
            }}
          />
        ))}
        <div class="form__full">
          <CheckboxGroup
            id="new-subscriber-lists"
            legend={t("subscribers.create.lists")}
            options={lists.map((list) => ({
              value: list.id,
              label: (
                <>
                  {list.name} <span class="muted">{t(`subscribers.optIn.${list.optIn}`)}</span>
                </>
              ),
            }))}
            selected={listIds.value}
            onChange={(next) => (listIds.value = next)}
            empty={t("subscribers.create.noLists")}
            error={listIssue.value}
          />
        </div>
        {joinsDouble && (
          <div class="form__full">
            <Checkbox
              id="new-subscriber-preconfirm"
              label={t("subscribers.create.preconfirm")}
              checked={preconfirm.value}
              onChange={(on) => (preconfirm.value = on)}
              hint={t("subscribers.create.preconfirmHint")}
            />
          </div>
        )}
        <FormActions
          grid
          form={form}
          onCancel={onCancel}
          submitLabel={t("subscribers.create.submit")}
          busyLabel={t("subscribers.create.busy")}
        />
      </form>
    </section>
  );
}

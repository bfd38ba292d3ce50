import { useSignal } from "@preact/signals";
import { audience, type Field, type SubscriberDetail, type UpdateSubscriber } from "../../api/audience";
import { nestedErrors } from "../../api/errors";
import { ErrorBanner } from "../../components/error-banner";
import { Field as Input } from "../../components/field";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";
import { FieldInput, fromInputText, toInputText } from "./field-values";
import { STATUS_OPTIONS, toStatus } from "./status";

interface ProfileProps {
  subscriber: SubscriberDetail;
  fields: Field[];
  /** Analysts see the profile read-only. */
  editable: boolean;
  onSaved: (subscriber: SubscriberDetail) => void;
}

/** Name, status and custom fields; only what changed is sent, and an emptied field is removed. */
export function ProfileCard({ subscriber, fields, editable, onSaved }: ProfileProps) {
  const initialTexts = Object.fromEntries(
    fields.map((field) => [field.key, toInputText(field, subscriber.fields[field.key])]),
  );
  const form = useForm("profile", { name: subscriber.name ?? "", status: subscriber.status });
  const fieldTexts = useSignal<Record<string, string>>(initialTexts);
  const fieldIssues = useSignal<Record<string, string>>({});
  const saved = useSignal(false);

  const onSubmit = form.submit(async (values) => {
    fieldIssues.value = {};
    saved.value = false;
    const changes: UpdateSubscriber = {};
    const name = values.name.trim();
    if (name !== (subscriber.name ?? "")) changes.name = name || null;
    if (values.status !== subscriber.status) changes.status = toStatus(values.status);
    const changedFields: Record<string, unknown> = {};
    for (const field of fields) {
      const text = fieldTexts.value[field.key] ?? "";
      if (text !== initialTexts[field.key]) changedFields[field.key] = fromInputText(field, text);
    }
    if (Object.keys(changedFields).length) changes.fields = changedFields;
    if (Object.keys(changes).length === 0) {
      saved.value = true;
      return;
    }
    try {
      onSaved(await audience.subscribers.update(subscriber.id, changes));
      saved.value = true;
    } catch (error) {
      fieldIssues.value = nestedErrors(error, "fields");
      throw error;
    }
  });

  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t("subscribers.profile.title")}</h2>
      <form class="form form--grid" onSubmit={onSubmit} aria-labelledby="profile-title">
        <Input
          id="profile-email"
          label={t("common.email")}
          value={subscriber.email}
          onInput={() => undefined}
          disabled
        />
        <Input {...form.field("name")} label={t("common.name")} autoComplete="off" disabled={!editable} />
        <Input
          {...form.field("status")}
          label={t("common.status")}
          options={STATUS_OPTIONS}
          disabled={!editable}
          hint={t("subscribers.profile.statusHint")}
        />
        {fields.map((field) => (
          <FieldInput
            key={field.id}
            idPrefix="profile-field"
            field={field}
            value={fieldTexts.value[field.key] ?? ""}
            error={fieldIssues.value[field.key]}
            disabled={!editable}
            onInput={(text) => {
              saved.value = false;
              fieldTexts.value = { ...fieldTexts.value, [field.key]: text };
            }}
          />
        ))}
        <div class="form__full">
          <ErrorBanner error={form.failure.value} />
        </div>
        {editable && (
          <div class="form__actions form__full">
            {saved.value && (
              <span class="muted" role="status">
                {t("subscribers.profile.saved")}
              </span>
            )}
            <button type="submit" class="button button--primary" disabled={form.busy.value}>
              {form.busy.value ? t("common.saving") : t("subscribers.profile.save")}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

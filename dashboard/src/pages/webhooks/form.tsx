import { useSignal } from "@preact/signals";
import { fieldErrors } from "../../api/client";
import {
  type CreatedWebhook,
  WEBHOOK_EVENT_TYPES,
  type Webhook,
  type WebhookEventType,
  webhooks,
} from "../../api/webhooks";
import { CheckboxGroup } from "../../components/checkbox-group";
import { CopyButton } from "../../components/copy-button";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { t } from "../../i18n";

interface WebhookFormProps {
  /** The endpoint to change; absent to create one. */
  editing?: Webhook;
  onCancel: () => void;
  onSaved: (saved: Webhook | CreatedWebhook) => void;
}

/** The URL and the event types of an endpoint. */
export function WebhookForm({ editing, onCancel, onSaved }: WebhookFormProps) {
  const url = useSignal(editing?.url ?? "");
  const events = useSignal<ReadonlySet<string>>(new Set(editing?.events ?? []));
  const errors = useSignal<Record<string, string>>({});
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    busy.value = true;
    failure.value = null;
    try {
      const body = { url: url.value.trim(), events: [...events.value] as WebhookEventType[] };
      onSaved(editing ? await webhooks.update(editing.id, body) : await webhooks.create(body));
    } catch (error) {
      errors.value = fieldErrors(error);
      failure.value = Object.keys(errors.value).length > 0 ? null : error;
    } finally {
      busy.value = false;
    }
  };

  const titleId = "webhook-form-title";
  return (
    <section class="card form-card" aria-labelledby={titleId}>
      <h2 id={titleId}>{editing ? t("webhooks.form.editTitle") : t("webhooks.form.createTitle")}</h2>
      <form class="form" onSubmit={submit} aria-labelledby={titleId} noValidate>
        <Field
          id="webhook-url"
          label={t("webhooks.form.url")}
          hint={t("webhooks.form.urlHint")}
          value={url.value}
          onInput={(v) => (url.value = v)}
          error={errors.value.url}
          required
          autoComplete="off"
        />
        <CheckboxGroup
          id="webhook-events"
          legend={t("webhooks.form.events")}
          options={WEBHOOK_EVENT_TYPES.map((type) => ({
            value: type,
            label: (
              <>
                {t(`webhooks.events.${type.replace(/\./g, "_")}`)} <code class="muted">{type}</code>
              </>
            ),
          }))}
          selected={events.value}
          onChange={(next) => (events.value = next)}
          error={errors.value.events}
        />
        <FormActions
          form={{ busy, failure }}
          onCancel={onCancel}
          cancelLabel={t("common.cancel")}
          submitLabel={editing ? t("common.saveChanges") : t("webhooks.form.create")}
          busyLabel={t("common.saving")}
        />
      </form>
    </section>
  );
}

/** The one moment the signing secret is visible: shown with a copy button, said plainly. */
export function NewSecretNotice({ hook, onDone }: { hook: CreatedWebhook; onDone: () => void }) {
  return (
    <section class="card new-key" role="alert" aria-labelledby="new-secret-title">
      <h2 id="new-secret-title">{t("webhooks.secret.title")}</h2>
      <p>
        <strong>{t("webhooks.secret.once")}</strong> {t("webhooks.secret.use")}
      </p>
      <div class="new-key__row">
        <code class="new-key__value" data-testid="new-webhook-secret">
          {hook.secret}
        </code>
        <CopyButton value={hook.secret} label={t("webhooks.secret.copyLabel")} />
      </div>
      <button type="button" class="button" onClick={onDone}>
        {t("webhooks.secret.saved")}
      </button>
    </section>
  );
}

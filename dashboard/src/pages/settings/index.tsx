import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { fetchAll } from "../../api/audience";
import { delivery, type Relay, type Settings } from "../../api/delivery";
import type { Issue } from "../../api/errors";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { afterEdit } from "../../hooks/use-form";
import { useResource } from "../../hooks/use-resource";
import { t } from "../../i18n";
import { canManage } from "../../session";
import { BrandSection } from "./brand";
import { EmailServiceSection } from "./email-service";
import { type Key, serverErrors, serverIssues, toPatch, toValues, type Values } from "./model";
import {
  type Bind,
  BounceRulesSection,
  OrganisationSection,
  SenderSection,
  SendingRulesSection,
  TrackingSection,
} from "./sections";
import "./settings.css";

/** `/settings/general`: organisation, sender defaults, tracking, retention, sending and bounce rules, brand. */
export function SettingsPage() {
  const settings = useResource(() => delivery.settings.get());
  // The relay select is optional: without the list the form still works.
  const relays = useResource(() => fetchAll(delivery.relays.list).catch(() => [] as Relay[]));
  const loaded = settings.data.value;
  // Wait for the relays too: a select whose options arrive later would not show the saved relay.
  const relayList = relays.data.value;
  return (
    <Page title={t("nav.general")} intro={t("settings.intro")}>
      <ErrorBanner error={settings.error.value} onRetry={settings.reload} />
      {loaded && relayList ? (
        <SettingsForm initial={loaded} relays={relayList} />
      ) : (
        !settings.error.value && (
          <p class="muted" aria-busy="true">
            {t("common.loading")}
          </p>
        )
      )}
    </Page>
  );
}

function SettingsForm({ initial, relays }: { initial: Settings; relays: Relay[] }) {
  const notify = useToast();
  const manage = canManage.value;
  const saved = useSignal(initial);
  const values = useSignal<Values>(toValues(initial));
  const errors = useSignal<Partial<Record<Key, string>>>({});
  const issues = useSignal<Partial<Record<Key, Issue>>>({});
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);

  const bind: Bind = (key) => ({
    id: `settings-${key.replace(".", "-")}`,
    value: values.value[key],
    error: errors.value[key],
    disabled: !manage,
    onInput: (value) => {
      values.value = { ...values.value, [key]: value };
      const kept = afterEdit(errors.value[key], issues.value[key], value);
      if (kept !== errors.value[key]) errors.value = { ...errors.value, [key]: kept };
    },
  });

  const save = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.value) return;
    const patch = toPatch(values.value, saved.value);
    errors.value = patch.errors;
    issues.value = {};
    failure.value = null;
    if (Object.keys(patch.errors).length > 0) return;
    if (Object.keys(patch.body).length === 0) {
      notify(t("settings.noChanges"));
      return;
    }
    busy.value = true;
    try {
      const next = await delivery.settings.update(patch.body);
      saved.value = next;
      values.value = toValues(next);
      notify(t("settings.saved"));
    } catch (caught) {
      issues.value = serverIssues(caught, values.value);
      const byField = serverErrors(caught, values.value);
      errors.value = byField;
      if (Object.keys(byField).length === 0) failure.value = caught;
    } finally {
      busy.value = false;
    }
  };

  return (
    <form class="settings-form" onSubmit={save} aria-label={t("settings.formLabel")} noValidate>
      {!manage && (
        <p class="banner banner--info" role="note">
          {t("settings.readOnly")}
        </p>
      )}
      <OrganisationSection bind={bind} />
      <SenderSection bind={bind} relays={relays} />
      <EmailServiceSection bind={bind} relays={relays} />
      <TrackingSection bind={bind} />
      <SendingRulesSection bind={bind} />
      <BounceRulesSection bind={bind} />
      <BrandSection bind={bind} />
      <ErrorBanner error={failure.value} />
      {manage && (
        <div class="form__actions settings-form__actions">
          <button
            type="button"
            class="button"
            onClick={() => {
              values.value = toValues(saved.value);
              errors.value = {};
            }}
          >
            {t("common.discardChanges")}
          </button>
          <button type="submit" class="button button--primary" disabled={busy.value}>
            {busy.value ? t("common.saving") : t("settings.save")}
          </button>
        </div>
      )}
    </form>
  );
}

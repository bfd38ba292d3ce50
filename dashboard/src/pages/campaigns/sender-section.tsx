import { Field } from "../../components/field";
import { t } from "../../i18n";
import type { Lookups } from "./lookups";
import type { Draft } from "./model";

interface SenderSectionProps {
  draft: Draft;
  lookups: Lookups;
  onChange: (change: Partial<Draft>) => void;
  issues: Map<string, string>;
}

/** Who the mail is from, where replies go, and which relay sends it (the default one unless chosen). */
export function SenderSection({ draft, lookups, onChange, issues }: SenderSectionProps) {
  const relays = lookups.relays;
  const defaultRelay = relays?.find(
    (relay) => relay.id === lookups.settings?.defaultRelayId || relay.isDefault,
  );
  return (
    <section class="card campaign-section" aria-labelledby="campaign-sender-title">
      <h2 id="campaign-sender-title">{t("campaigns.sender.title")}</h2>
      <div class="form form--grid">
        <Field
          id="campaign-from-name"
          label={t("campaigns.sender.fromName")}
          value={draft.fromName}
          onInput={(fromName) => onChange({ fromName })}
          error={issues.get("fromName")}
        />
        <Field
          id="campaign-from-email"
          label={t("campaigns.sender.fromEmail")}
          type="email"
          value={draft.fromEmail}
          onInput={(fromEmail) => onChange({ fromEmail })}
          error={issues.get("fromEmail")}
          hint={t("campaigns.sender.fromEmailHint")}
        />
        <Field
          id="campaign-reply-to"
          label={t("campaigns.sender.replyTo")}
          type="email"
          value={draft.replyTo}
          onInput={(replyTo) => onChange({ replyTo })}
          error={issues.get("replyTo")}
          hint={t("campaigns.sender.replyToHint")}
        />
        <Field
          id="campaign-relay"
          label={t("campaigns.sender.relay")}
          value={draft.relayId}
          onInput={(relayId) => onChange({ relayId })}
          error={issues.get("relayId")}
          disabled={relays === undefined}
          options={[
            {
              value: "",
              label: defaultRelay
                ? t("campaigns.sender.defaultRelayNamed", { name: defaultRelay.name })
                : t("campaigns.sender.defaultRelay"),
            },
            ...(relays ?? []).map((relay) => ({ value: relay.id, label: `${relay.name} (${relay.host})` })),
          ]}
        />
      </div>
    </section>
  );
}

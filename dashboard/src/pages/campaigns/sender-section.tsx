import { Field } from "../../components/field";
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
      <h2 id="campaign-sender-title">Sender</h2>
      <div class="form form--grid">
        <Field
          id="campaign-from-name"
          label="From name"
          value={draft.fromName}
          onInput={(fromName) => onChange({ fromName })}
          error={issues.get("fromName")}
        />
        <Field
          id="campaign-from-email"
          label="From email"
          type="email"
          value={draft.fromEmail}
          onInput={(fromEmail) => onChange({ fromEmail })}
          error={issues.get("fromEmail")}
          hint="Use an address on a sending domain you have set up, so the mail is signed (DKIM)."
        />
        <Field
          id="campaign-reply-to"
          label="Reply-to"
          type="email"
          value={draft.replyTo}
          onInput={(replyTo) => onChange({ replyTo })}
          error={issues.get("replyTo")}
          hint="Optional: where replies go, if not to the from address."
        />
        <Field
          id="campaign-relay"
          label="Relay"
          value={draft.relayId}
          onInput={(relayId) => onChange({ relayId })}
          error={issues.get("relayId")}
          disabled={relays === undefined}
          options={[
            { value: "", label: defaultRelay ? `Default relay (${defaultRelay.name})` : "Default relay" },
            ...(relays ?? []).map((relay) => ({ value: relay.id, label: `${relay.name} (${relay.host})` })),
          ]}
        />
      </div>
    </section>
  );
}

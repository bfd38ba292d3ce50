import type { ComponentChildren } from "preact";
import type { Relay } from "../../api/delivery";
import { Checkbox } from "../../components/checkbox-group";
import { Field } from "../../components/field";
import { TimezonePicker } from "../../components/timezone-picker";
import { t } from "../../i18n";
import type { Key } from "./model";

/** What an input needs from the form: its id, value, the server's message and a setter. */
export type Bind = (key: Key) => {
  id: string;
  value: string;
  error: string | undefined;
  onInput: (value: string) => void;
  disabled: boolean;
};

function Section({
  id,
  title,
  intro,
  children,
}: {
  id: string;
  title: string;
  intro: string;
  children: ComponentChildren;
}) {
  return (
    <section class="card settings-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p class="muted">{intro}</p>
      <div class="form form--grid">{children}</div>
    </section>
  );
}

/** Organisation name and postal address: the footer every marketing mail must carry. */
export function OrganisationSection({ bind }: { bind: Bind }) {
  return (
    <Section id="settings-org" title={t("settings.org.title")} intro={t("settings.org.intro")}>
      <Field {...bind("organizationName")} label={t("settings.org.name")} autoComplete="organization" />
      <div class="form__full">
        <Field
          {...bind("postalAddress")}
          label={t("settings.org.address")}
          multiline
          autoComplete="street-address"
          hint={t("settings.org.addressHint", { tag: "{{ postal_address }}" })}
        />
      </div>
      <OrganisationZone bind={bind} />
    </Section>
  );
}

/** Default sender, reply-to, relay and bounce domain: what campaigns and tests use unless told otherwise. */
export function SenderSection({ bind, relays }: { bind: Bind; relays: Relay[] }) {
  const options = [
    { value: "", label: t("settings.sender.defaultRelayOption") },
    // Cloudflare Email Service relays carry transactional and system mail only (EmailServiceSection).
    ...relays
      .filter((relay) => relay.kind !== "cloudflare")
      .map((relay) => ({ value: relay.id, label: `${relay.name} (${relay.host}:${relay.port})` })),
  ];
  return (
    <Section id="settings-sender" title={t("settings.sender.title")} intro={t("settings.sender.intro")}>
      <Field {...bind("defaultFromName")} label={t("settings.sender.fromName")} autoComplete="off" />
      <Field
        {...bind("defaultFromEmail")}
        label={t("settings.sender.fromEmail")}
        type="email"
        autoComplete="off"
        hint={t("settings.sender.fromEmailHint")}
      />
      <Field
        {...bind("defaultReplyTo")}
        label={t("settings.sender.replyTo")}
        type="email"
        autoComplete="off"
        hint={t("settings.sender.replyToHint")}
      />
      <Field
        {...bind("defaultRelayId")}
        label={t("settings.sender.relay")}
        options={options}
        hint={t("settings.sender.relayHint")}
      />
      <Field
        {...bind("bounceDomain")}
        label={t("settings.sender.bounceDomain")}
        autoComplete="off"
        placeholder="bounces.example.com" // i18n-ignore
        hint={t("settings.sender.bounceDomainHint")}
      />
    </Section>
  );
}

/** Open and click tracking, and how long raw events are kept. */
export function TrackingSection({ bind }: { bind: Bind }) {
  const toggle = (key: "trackOpens" | "trackClicks", label: string, hint: string) => {
    const field = bind(key);
    return (
      <Checkbox
        id={field.id}
        label={label}
        checked={field.value === "true"}
        onChange={(on) => field.onInput(String(on))}
        disabled={field.disabled}
        hint={field.error ?? hint}
      />
    );
  };
  return (
    <Section id="settings-tracking" title={t("settings.tracking.title")} intro={t("settings.tracking.intro")}>
      {toggle("trackOpens", t("settings.tracking.opens"), t("settings.tracking.opensHint"))}
      {toggle("trackClicks", t("settings.tracking.clicks"), t("settings.tracking.clicksHint"))}
      <Field
        {...bind("retention.eventsDays")}
        label={t("settings.tracking.retention")}
        type="number"
        hint={t("settings.tracking.retentionHint")}
      />
    </Section>
  );
}

/** Retries and the automatic pause that protects the sending reputation. */
export function SendingRulesSection({ bind }: { bind: Bind }) {
  return (
    <Section id="settings-sending" title={t("settings.sending.title")} intro={t("settings.sending.intro")}>
      <Field
        {...bind("sending.maxAttempts")}
        label={t("settings.sending.maxAttempts")}
        type="number"
        hint={t("settings.sending.maxAttemptsHint")}
      />
      <Field
        {...bind("sending.retryBaseSeconds")}
        label={t("settings.sending.retryBase")}
        type="number"
        hint={t("settings.sending.retryBaseHint")}
      />
      <Field
        {...bind("sending.pauseBounceRate")}
        label={t("settings.sending.bounceRate")}
        type="number"
        hint={t("settings.sending.bounceRateHint")}
      />
      <Field
        {...bind("sending.pauseMinSends")}
        label={t("settings.sending.minSends")}
        type="number"
        hint={t("settings.sending.minSendsHint")}
      />
      <Field
        {...bind("sending.pauseConsecutiveErrors")}
        label={t("settings.sending.consecutiveErrors")}
        type="number"
      />
      <Field
        {...bind("sending.scannerClickSeconds")}
        label={t("settings.sending.scanner")}
        type="number"
        hint={t("settings.sending.scannerHint")}
      />
    </Section>
  );
}

/** When soft bounces make an address count as bounced. */
export function BounceRulesSection({ bind }: { bind: Bind }) {
  return (
    <Section id="settings-bounces" title={t("settings.bounces.title")} intro={t("settings.bounces.intro")}>
      <Field
        {...bind("bounces.softLimit")}
        label={t("settings.bounces.softLimit")}
        type="number"
        hint={t("settings.bounces.softLimitHint")}
      />
      <Field
        {...bind("bounces.softWindowDays")}
        label={t("settings.bounces.window")}
        type="number"
        hint={t("settings.bounces.windowHint")}
      />
    </Section>
  );
}

/** The organisation's time zone: workflows use it for subscribers without a `timezone` field. */
function OrganisationZone({ bind }: { bind: Bind }) {
  const b = bind("timezone");
  return (
    <TimezonePicker
      id={b.id}
      label={t("common.timeZone")}
      value={b.value}
      onChange={b.onInput}
      error={b.error}
      disabled={b.disabled}
      hint={t("settings.org.timezoneHint")}
    />
  );
}

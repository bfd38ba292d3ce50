import type { ComponentChildren } from "preact";
import type { Relay } from "../../api/delivery";
import { Checkbox } from "../../components/checkbox-group";
import { Field } from "../../components/field";
import { TimezonePicker } from "../../components/timezone-picker";
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
    <Section id="settings-org" title="Organisation" intro="Who the mail is from, as the law asks.">
      <Field {...bind("organizationName")} label="Organisation name" autoComplete="organization" />
      <div class="form__full">
        <Field
          {...bind("postalAddress")}
          label="Postal address"
          multiline
          autoComplete="street-address"
          hint="Required in marketing mail by anti-spam laws (CAN-SPAM, CASL and others). Templates show it with {{ postal_address }}."
        />
      </div>
      <OrganisationZone bind={bind} />
    </Section>
  );
}

/** Default sender, reply-to, relay and bounce domain: what campaigns and tests use unless told otherwise. */
export function SenderSection({ bind, relays }: { bind: Bind; relays: Relay[] }) {
  const options = [
    { value: "", label: "The relay marked default" },
    // Cloudflare Email Service relays carry transactional and system mail only (EmailServiceSection).
    ...relays
      .filter((relay) => relay.kind !== "cloudflare")
      .map((relay) => ({ value: relay.id, label: `${relay.name} (${relay.host}:${relay.port})` })),
  ];
  return (
    <Section
      id="settings-sender"
      title="Sending defaults"
      intro="Campaigns start with these; tests are always sent from them."
    >
      <Field {...bind("defaultFromName")} label="Default sender name" autoComplete="off" />
      <Field
        {...bind("defaultFromEmail")}
        label="Default sender email"
        type="email"
        autoComplete="off"
        hint="Test sends need one."
      />
      <Field
        {...bind("defaultReplyTo")}
        label="Default reply-to"
        type="email"
        autoComplete="off"
        hint="Optional: where replies go, when not to the sender."
      />
      <Field
        {...bind("defaultRelayId")}
        label="Default relay"
        options={options}
        hint="Without any relay, mail goes through the server's SMTP_URL."
      />
      <Field
        {...bind("bounceDomain")}
        label="Bounce domain"
        autoComplete="off"
        placeholder="bounces.example.com"
        hint="Optional: the Return-Path host for senders without a sending domain of their own."
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
    <Section
      id="settings-tracking"
      title="Tracking and retention"
      intro="What is recorded about opens and clicks, and for how long."
    >
      {toggle(
        "trackOpens",
        "Track opens",
        "Adds a tiny image to each message; machine opens are kept apart.",
      )}
      {toggle("trackClicks", "Track clicks", "Links go through Edgepost first, then on to their address.")}
      <Field
        {...bind("retention.eventsDays")}
        label="Keep raw events for (days)"
        type="number"
        hint="7 to 3650 days; totals are kept."
      />
    </Section>
  );
}

/** Retries and the automatic pause that protects the sending reputation. */
export function SendingRulesSection({ bind }: { bind: Bind }) {
  return (
    <Section
      id="settings-sending"
      title="Sending rules"
      intro="Retries of temporary failures, and when a running campaign pauses by itself."
    >
      <Field
        {...bind("sending.maxAttempts")}
        label="Maximum attempts per message"
        type="number"
        hint="1 to 20."
      />
      <Field
        {...bind("sending.retryBaseSeconds")}
        label="First retry after (seconds)"
        type="number"
        hint="Later retries wait longer each time."
      />
      <Field
        {...bind("sending.pauseBounceRate")}
        label="Pause at bounce rate (%)"
        type="number"
        hint="0.1 to 100 %, counted once the minimum below is sent."
      />
      <Field
        {...bind("sending.pauseMinSends")}
        label="Minimum sends before pausing"
        type="number"
        hint="At least 10."
      />
      <Field
        {...bind("sending.pauseConsecutiveErrors")}
        label="Pause after relay errors in a row"
        type="number"
      />
      <Field
        {...bind("sending.scannerClickSeconds")}
        label="Scanner click window (seconds)"
        type="number"
        hint="Clicks this soon after delivery are counted as link scanners, not people (0 to 600)."
      />
    </Section>
  );
}

/** When soft bounces make an address count as bounced. */
export function BounceRulesSection({ bind }: { bind: Bind }) {
  return (
    <Section
      id="settings-bounces"
      title="Bounce rules"
      intro="Hard bounces suppress an address at once; soft bounces only when they repeat."
    >
      <Field
        {...bind("bounces.softLimit")}
        label="Soft bounce limit"
        type="number"
        hint="1 to 100 soft bounces…"
      />
      <Field
        {...bind("bounces.softWindowDays")}
        label="Within (days)"
        type="number"
        hint="…within this many days (1 to 365)."
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
      label="Time zone"
      value={b.value}
      onChange={b.onInput}
      error={b.error}
      disabled={b.disabled}
      hint="Workflow waits and anniversaries use it for subscribers without a timezone field."
    />
  );
}

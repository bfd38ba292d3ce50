import type { Relay } from "../../api/delivery";
import { Field } from "../../components/field";
import { t } from "../../i18n";
import type { Bind } from "./sections";

/** A relay as an option: Cloudflare Email Service by name, SMTP relays with their host. */
export const relayLabel = (relay: Relay) =>
  relay.kind === "cloudflare"
    ? `${relay.name} (${t("emailService.kindName")})`
    : `${relay.name} (${relay.host}:${relay.port})`;

/**
 * Which relay carries transactional and system mail: an SMTP relay or Cloudflare Email Service.
 * Says why campaigns and workflows cannot use Cloudflare (its terms exclude bulk mail).
 */
export function EmailServiceSection({ bind, relays }: { bind: Bind; relays: Relay[] }) {
  const all = relays.map((relay) => ({ value: relay.id, label: relayLabel(relay) }));
  const hasCloudflare = relays.some((relay) => relay.kind === "cloudflare");
  return (
    <section class="card settings-section" aria-labelledby="settings-email-service">
      <h2 id="settings-email-service">{t("emailService.title")}</h2>
      <p class="muted">{t("emailService.intro")}</p>
      <p class="muted">{t("emailService.bulk")}</p>
      {!hasCloudflare && <p class="muted">{t("emailService.howToAdd")}</p>}
      <div class="form form--grid">
        <Field
          {...bind("transactionalRelayId")}
          label={t("emailService.transactional")}
          options={[{ value: "", label: t("emailService.sameAsDefault") }, ...all]}
          hint={t("emailService.transactionalHint")}
        />
        <Field
          {...bind("systemRelayId")}
          label={t("emailService.system")}
          options={[{ value: "", label: t("emailService.smtpUrl") }, ...all]}
          hint={t("emailService.systemHint")}
        />
      </div>
    </section>
  );
}

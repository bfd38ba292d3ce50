import { useSignal } from "@preact/signals";
import {
  delivery,
  RELAY_SECURITIES,
  type Relay,
  type RelaySecurity,
  type UpdateRelay,
} from "../../api/delivery";
import { Checkbox } from "../../components/checkbox-group";
import { Dialog } from "../../components/dialog";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";

/** How a relay's security reads: the protocol names as they are, "None" in words. */
export function securityLabel(security: RelaySecurity): string {
  return t(`relays.security.${security}`);
}

interface RelayDialogProps {
  /** The relay to edit; none to add one. */
  relay?: Relay;
  onClose: () => void;
  onSaved: (relay: Relay) => void;
}

/** Add or edit an SMTP relay. The password is write-only: empty keeps the stored one. */
export function RelayDialog({ relay, onClose, onSaved }: RelayDialogProps) {
  const form = useForm("relay", {
    name: relay?.name ?? "",
    host: relay?.host ?? "",
    port: String(relay?.port ?? 587),
    security: relay?.security ?? "starttls",
    username: relay?.username ?? "",
    password: "",
    maxPerSecond: String(relay?.maxPerSecond ?? 10),
    maxPerHour: relay?.maxPerHour ? String(relay.maxPerHour) : "",
  });
  const isDefault = useSignal(relay?.isDefault ?? false);
  const removePassword = useSignal(false);
  const security = pickSecurity(form.values.value.security);
  const title = relay ? t("relays.editTitle", { name: relay.name }) : t("relays.add");
  // The server clears a stored password when the endpoint changes without a new one (it was
  // given for another server): say so before saving.
  const values = form.values.value;
  const endpointChanged =
    !!relay &&
    (values.host.trim() !== relay.host ||
      toNumber(values.port) !== relay.port ||
      security !== relay.security);
  const passwordWillClear =
    !!relay?.hasPassword && endpointChanged && !values.password && !removePassword.value;

  const onSubmit = form.submit(async (values) => {
    const body = {
      name: values.name.trim(),
      host: values.host.trim(),
      port: toNumber(values.port),
      security: pickSecurity(values.security),
      username: values.username.trim() || null,
      maxPerSecond: toNumber(values.maxPerSecond),
      maxPerHour: values.maxPerHour.trim() === "" ? null : toNumber(values.maxPerHour),
      isDefault: isDefault.value,
    };
    const password = removePassword.value ? null : values.password || undefined;
    if (!relay) {
      onSaved(await delivery.relays.create({ ...body, password }));
      return;
    }
    const changes: UpdateRelay = {};
    for (const key of Object.keys(body) as (keyof typeof body)[]) {
      if (body[key] !== relay[key]) Object.assign(changes, { [key]: body[key] });
    }
    if (password !== undefined) changes.password = password;
    onSaved(Object.keys(changes).length ? await delivery.relays.update(relay.id, changes) : relay);
  });

  return (
    <Dialog title={title} onClose={onClose} wide>
      <form class="form form--grid" onSubmit={onSubmit} aria-label={title} noValidate>
        <Field {...form.field("name")} label={t("common.name")} autoComplete="off" required />
        <Field
          {...form.field("host")}
          label={t("relays.host")}
          autoComplete="off"
          required
          placeholder="smtp.example.com" // i18n-ignore
        />
        <Field {...form.field("port")} label={t("relays.port")} type="number" required />
        <Field
          {...form.field("security")}
          label={t("relays.securityLabel")}
          options={RELAY_SECURITIES.map((value) => ({ value, label: securityLabel(value) }))}
          hint={t(`relays.securityHint.${security}`)}
        />
        <Field
          {...form.field("username")}
          label={t("relays.username")}
          autoComplete="off"
          hint={t("relays.optional")}
        />
        <div>
          <Field
            {...form.field("password")}
            label={t("relays.password")}
            type="password"
            autoComplete="new-password"
            disabled={removePassword.value}
            hint={
              passwordWillClear
                ? t("relays.passwordWillClear")
                : relay?.hasPassword
                  ? t("relays.passwordStoredHint")
                  : t("relays.passwordHint")
            }
          />
          {relay?.hasPassword && (
            <Checkbox
              id="relay-remove-password"
              label={t("relays.removePassword")}
              checked={removePassword.value}
              onChange={(checked) => (removePassword.value = checked)}
            />
          )}
        </div>
        <Field
          {...form.field("maxPerSecond")}
          label={t("relays.perSecond")}
          type="number"
          required
          hint={t("relays.perSecondHint")}
        />
        <Field
          {...form.field("maxPerHour")}
          label={t("relays.perHour")}
          type="number"
          hint={t("relays.perHourHint")}
        />
        <div class="form__full">
          <Checkbox
            id="relay-default"
            label={t("relays.defaultRelay")}
            checked={isDefault.value}
            onChange={(checked) => (isDefault.value = checked)}
            hint={t("relays.defaultHint")}
          />
        </div>
        <FormActions
          dialog
          grid
          form={form}
          onCancel={onClose}
          submitLabel={relay ? t("common.saveChanges") : t("relays.add")}
          busyLabel={t("common.saving")}
        />
      </form>
    </Dialog>
  );
}

/** An empty box goes as NaN (JSON null), so the server names the field as missing beside it. */
function toNumber(value: string): number {
  return value.trim() === "" ? Number.NaN : Number(value);
}

function pickSecurity(value: string): RelaySecurity {
  return RELAY_SECURITIES.find((security) => security === value) ?? "starttls";
}

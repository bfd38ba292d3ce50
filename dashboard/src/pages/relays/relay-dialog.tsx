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

export const SECURITY_LABELS: Record<RelaySecurity, string> = {
  starttls: "STARTTLS",
  tls: "TLS",
  none: "None",
};

const SECURITY_OPTIONS = RELAY_SECURITIES.map((value) => ({ value, label: SECURITY_LABELS[value] }));

const SECURITY_HINTS: Record<RelaySecurity, string> = {
  starttls: "Connect in plain text, then upgrade to TLS (usually port 587).",
  tls: "TLS from the first byte (usually port 465).",
  none: "No encryption, so no password is ever sent (except to this machine): only for a relay on a private network.",
};

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
  const title = relay ? `Edit ${relay.name}` : "Add relay";
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
        <Field {...form.field("name")} label="Name" autoComplete="off" required />
        <Field
          {...form.field("host")}
          label="Host"
          autoComplete="off"
          required
          placeholder="smtp.example.com"
        />
        <Field {...form.field("port")} label="Port" type="number" required />
        <Field
          {...form.field("security")}
          label="Security"
          options={SECURITY_OPTIONS}
          hint={SECURITY_HINTS[security]}
        />
        <Field {...form.field("username")} label="Username" autoComplete="off" hint="Optional." />
        <div>
          <Field
            {...form.field("password")}
            label="Password"
            type="password"
            autoComplete="new-password"
            disabled={removePassword.value}
            hint={
              passwordWillClear
                ? "The host, port or security changed: the stored password will be removed. Enter it again to keep signing in."
                : relay?.hasPassword
                  ? "A password is stored: leave empty to keep the stored password."
                  : "Optional. Stored encrypted and never shown again."
            }
          />
          {relay?.hasPassword && (
            <Checkbox
              id="relay-remove-password"
              label="Remove stored password"
              checked={removePassword.value}
              onChange={(checked) => (removePassword.value = checked)}
            />
          )}
        </div>
        <Field
          {...form.field("maxPerSecond")}
          label="Messages per second"
          type="number"
          required
          hint="How fast Edgepost may send through this relay."
        />
        <Field
          {...form.field("maxPerHour")}
          label="Messages per hour"
          type="number"
          hint="Optional: empty means no hourly limit."
        />
        <div class="form__full">
          <Checkbox
            id="relay-default"
            label="Default relay"
            checked={isDefault.value}
            onChange={(checked) => (isDefault.value = checked)}
            hint="Campaigns and tests that name no relay go through the default one."
          />
        </div>
        <FormActions
          dialog
          grid
          form={form}
          onCancel={onClose}
          submitLabel={relay ? "Save changes" : "Add relay"}
          busyLabel="Saving…"
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

import type { CreatedUser } from "../../../../workers/contract/users";
import { api } from "../../api/client";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { ROLE_HINTS, ROLE_OPTIONS, toRole } from "../../components/role-badge";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";

interface InviteFormProps {
  onCancel: () => void;
  onCreated: (user: CreatedUser) => void;
}

/**
 * Invites a user: by default they are mailed a link to set their own password; an initial
 * password (optional) lets them sign in at once instead. Server messages show beside each field.
 */
export function InviteForm({ onCancel, onCreated }: InviteFormProps) {
  const form = useForm(
    "invite",
    { email: "", name: "", role: "editor", password: "" },
    { conflictField: "email" },
  );
  const byMail = form.values.value.password === "";
  const onSubmit = form.submit(async (values) => {
    const { password, ...rest } = values;
    onCreated(
      await api.users.create({ ...rest, role: toRole(values.role), ...(password ? { password } : {}) }),
    );
  });

  return (
    <section class="card form-card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t("users.invite")}</h2>
      <form class="form form--grid" onSubmit={onSubmit} aria-labelledby="invite-title" noValidate>
        <Field {...form.field("email")} label={t("common.email")} type="email" autoComplete="off" required />
        <Field {...form.field("name")} label={t("common.name")} autoComplete="off" required />
        <Field
          {...form.field("role")}
          label={t("users.role")}
          options={ROLE_OPTIONS}
          hint={ROLE_HINTS[toRole(form.values.value.role)]}
        />
        <Field
          {...form.field("password")}
          label={t("users.initialPassword")}
          type="password"
          autoComplete="new-password"
          hint={byMail ? t("users.initialPasswordByMail") : t("users.initialPasswordHint")}
        />
        <FormActions
          grid
          form={form}
          onCancel={onCancel}
          submitLabel={byMail ? t("users.sendInvitation") : t("users.createUser")}
          busyLabel={byMail ? t("users.sending") : t("users.creating")}
        />
      </form>
    </section>
  );
}

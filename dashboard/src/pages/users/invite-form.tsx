import type { CreatedUser } from "../../../../workers/contract/users";
import { api } from "../../api/client";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { ROLE_HINTS, ROLE_OPTIONS, toRole } from "../../components/role-badge";
import { useForm } from "../../hooks/use-form";

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
      <h2 id="invite-title">Invite user</h2>
      <form class="form form--grid" onSubmit={onSubmit} aria-labelledby="invite-title" noValidate>
        <Field {...form.field("email")} label="Email" type="email" autoComplete="off" required />
        <Field {...form.field("name")} label="Name" autoComplete="off" required />
        <Field
          {...form.field("role")}
          label="Role"
          options={ROLE_OPTIONS}
          hint={ROLE_HINTS[toRole(form.values.value.role)]}
        />
        <Field
          {...form.field("password")}
          label="Initial password (optional)"
          type="password"
          autoComplete="new-password"
          hint={
            byMail
              ? "Leave empty to mail them a link to choose their own password (valid 7 days)."
              : "At least 12 characters. Share it with them privately."
          }
        />
        <FormActions
          grid
          form={form}
          onCancel={onCancel}
          submitLabel={byMail ? "Send invitation" : "Create user"}
          busyLabel={byMail ? "Sending…" : "Creating…"}
        />
      </form>
    </section>
  );
}

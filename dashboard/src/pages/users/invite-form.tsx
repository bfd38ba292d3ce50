import { api, type User } from "../../api/client";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { ROLE_HINTS, ROLE_OPTIONS, toRole } from "../../components/role-badge";
import { useForm } from "../../hooks/use-form";

interface InviteFormProps {
  onCancel: () => void;
  onCreated: (user: User) => void;
}

/** Creates a user with an initial password; the server's validation shows beside each field. */
export function InviteForm({ onCancel, onCreated }: InviteFormProps) {
  const form = useForm(
    "invite",
    { email: "", name: "", role: "editor", password: "" },
    { conflictField: "email" },
  );
  const onSubmit = form.submit(async (values) => {
    onCreated(await api.users.create({ ...values, role: toRole(values.role) }));
  });

  return (
    <section class="card form-card" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite user</h2>
      <form class="form form--grid" onSubmit={onSubmit} aria-labelledby="invite-title">
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
          label="Initial password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters. Share it with them privately."
          required
        />
        <FormActions grid form={form} onCancel={onCancel} submitLabel="Create user" busyLabel="Creating…" />
      </form>
    </section>
  );
}

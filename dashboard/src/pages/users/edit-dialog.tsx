import { api, type UpdateUser, type User } from "../../api/client";
import { Dialog } from "../../components/dialog";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { ROLE_HINTS, ROLE_OPTIONS, toRole } from "../../components/role-badge";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";

interface EditUserDialogProps {
  user: User;
  /** People cannot change their own role: that would let an admin make themselves owner. */
  isSelf: boolean;
  onClose: () => void;
  onSaved: (user: User) => void;
}

/** Edit name, email, role or set a new password; only changed fields are sent. */
export function EditUserDialog({ user, isSelf, onClose, onSaved }: EditUserDialogProps) {
  const form = useForm(
    "edit-user",
    { name: user.name, email: user.email, role: user.role, password: "" },
    { conflictField: "email" },
  );
  const onSubmit = form.submit(async (values) => {
    const changes: UpdateUser = {};
    if (values.name !== user.name) changes.name = values.name;
    if (values.email !== user.email) changes.email = values.email;
    if (!isSelf && values.role !== user.role) changes.role = toRole(values.role);
    if (values.password) changes.password = values.password;
    onSaved(Object.keys(changes).length ? await api.users.update(user.id, changes) : user);
  });

  return (
    <Dialog title={t("users.editTitle", { name: user.name })} onClose={onClose}>
      <form class="form" onSubmit={onSubmit} noValidate>
        <Field {...form.field("name")} label={t("common.name")} required />
        <Field {...form.field("email")} label={t("common.email")} type="email" required />
        <Field
          {...form.field("role")}
          label={t("users.role")}
          options={ROLE_OPTIONS}
          disabled={isSelf}
          hint={isSelf ? t("users.ownRole") : ROLE_HINTS[toRole(form.values.value.role)]}
        />
        <Field
          {...form.field("password")}
          label={t("users.newPassword")}
          type="password"
          autoComplete="new-password"
          hint={t("users.keepPassword")}
        />
        <FormActions
          dialog
          form={form}
          onCancel={onClose}
          submitLabel={t("common.saveChanges")}
          busyLabel={t("common.saving")}
        />
      </form>
    </Dialog>
  );
}

import { api, type CreatedApiKey } from "../../api/client";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { ROLE_HINTS, ROLE_OPTIONS, toRole } from "../../components/role-badge";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";

interface CreateKeyFormProps {
  onCancel: () => void;
  onCreated: (key: CreatedApiKey) => void;
}

export function CreateKeyForm({ onCancel, onCreated }: CreateKeyFormProps) {
  const form = useForm("api-key", { name: "", role: "editor" });
  const onSubmit = form.submit(async (values) => {
    onCreated(await api.apiKeys.create({ name: values.name, role: toRole(values.role) }));
  });

  return (
    <section class="card form-card" aria-labelledby="api-key-title">
      <h2 id="api-key-title">{t("apiKeys.create")}</h2>
      <form class="form form--grid" onSubmit={onSubmit} aria-labelledby="api-key-title" noValidate>
        <Field
          {...form.field("name")}
          label={t("common.name")}
          hint={t("apiKeys.nameHint")}
          autoComplete="off"
          required
        />
        <Field
          {...form.field("role")}
          label={t("users.role")}
          options={ROLE_OPTIONS}
          hint={ROLE_HINTS[toRole(form.values.value.role)]}
        />
        <FormActions
          grid
          form={form}
          onCancel={onCancel}
          submitLabel={t("apiKeys.createKey")}
          busyLabel={t("apiKeys.creating")}
        />
      </form>
    </section>
  );
}

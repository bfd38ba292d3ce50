import { audience, type CreateSuppression, type Suppression } from "../../api/audience";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";

/** The reasons a person may record by hand; "erased" is only ever set by an erasure. */
const REASONS = [
  "manual",
  "bounce",
  "complaint",
  "unsubscribe",
] as const satisfies readonly CreateSuppression["reason"][];

/** The reasons a person may record by hand, labelled when rendered in the chosen language. */
export const ADD_REASONS: readonly { readonly value: CreateSuppression["reason"]; readonly label: string }[] =
  REASONS.map((value) => ({
    value,
    get label() {
      return t(`suppressions.addReason.${value}`);
    },
  }));

interface AddSuppressionFormProps {
  onCancel: () => void;
  onAdded: (suppression: Suppression) => void;
}

/** Suppresses one address: it is never sent to, whatever lists it is on. */
export function AddSuppressionForm({ onCancel, onAdded }: AddSuppressionFormProps) {
  const form = useForm(
    "suppression",
    { email: "", reason: "manual", detail: "" },
    { conflictField: "email" },
  );
  const onSubmit = form.submit(async (values) => {
    const reason = ADD_REASONS.find((option) => option.value === values.reason)?.value ?? "manual";
    onAdded(
      await audience.suppressions.create({
        email: values.email.trim(),
        reason,
        ...(values.detail.trim() ? { detail: values.detail.trim() } : {}),
      }),
    );
  });

  return (
    <section class="card form-card" aria-labelledby="suppression-title">
      <h2 id="suppression-title">{t("suppressions.form.title")}</h2>
      <form class="form form--grid" onSubmit={onSubmit} aria-labelledby="suppression-title" noValidate>
        <Field {...form.field("email")} label={t("common.email")} type="email" autoComplete="off" required />
        <Field {...form.field("reason")} label={t("suppressions.reasonHeader")} options={ADD_REASONS} />
        <Field
          {...form.field("detail")}
          label={t("suppressions.detail")}
          autoComplete="off"
          hint={t("suppressions.form.detailHint")}
        />
        <FormActions
          grid
          form={form}
          onCancel={onCancel}
          submitLabel={t("suppressions.form.submit")}
          busyLabel={t("suppressions.form.busy")}
        />
      </form>
    </section>
  );
}

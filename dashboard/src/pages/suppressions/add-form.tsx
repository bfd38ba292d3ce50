import { audience, type CreateSuppression, type Suppression } from "../../api/audience";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { useForm } from "../../hooks/use-form";

/** The reasons a person may record by hand; "erased" is only ever set by an erasure. */
export const ADD_REASONS = [
  { value: "manual", label: "Manual block" },
  { value: "bounce", label: "Bounce" },
  { value: "complaint", label: "Complaint" },
  { value: "unsubscribe", label: "Unsubscribe" },
] as const satisfies readonly { value: CreateSuppression["reason"]; label: string }[];

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
      <h2 id="suppression-title">Suppress an address</h2>
      <form class="form form--grid" onSubmit={onSubmit} aria-labelledby="suppression-title" noValidate>
        <Field {...form.field("email")} label="Email" type="email" autoComplete="off" required />
        <Field {...form.field("reason")} label="Reason" options={ADD_REASONS} />
        <Field
          {...form.field("detail")}
          label="Detail"
          autoComplete="off"
          hint="Optional: why, for whoever reads this later."
        />
        <FormActions
          grid
          form={form}
          onCancel={onCancel}
          submitLabel="Suppress address"
          busyLabel="Adding…"
        />
      </form>
    </section>
  );
}

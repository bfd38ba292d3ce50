import { useSignal } from "@preact/signals";
import { type Domain, delivery } from "../../api/delivery";
import { Checkbox } from "../../components/checkbox-group";
import { Dialog } from "../../components/dialog";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";

interface AddDomainProps {
  onClose: () => void;
  onAdded: (domain: Domain) => void;
}

/** Add a sending domain: Edgepost makes its DKIM keys and lists the records to publish. */
export function AddDomainDialog({ onClose, onAdded }: AddDomainProps) {
  const form = useForm("domain", { domain: "", bounceDomain: "", selector: "" }, { conflictField: "domain" });
  const ed25519 = useSignal(false);

  const onSubmit = form.submit(async (values) => {
    onAdded(
      await delivery.domains.create({
        domain: values.domain.trim(),
        bounceDomain: values.bounceDomain.trim() || undefined,
        selector: values.selector.trim() || undefined,
        ed25519: ed25519.value,
      }),
    );
  });

  return (
    <Dialog title={t("domains.add")} onClose={onClose}>
      <form class="form" onSubmit={onSubmit} aria-label={t("domains.add")} noValidate>
        <Field
          {...form.field("domain")}
          label={t("domains.domain")}
          placeholder="example.com" // i18n-ignore
          autoComplete="off"
          required
          hint={t("domains.domainHint")}
        />
        <Field
          {...form.field("bounceDomain")}
          label={t("domains.bounceDomain")}
          placeholder="bounces.example.com" // i18n-ignore
          autoComplete="off"
          hint={t("domains.bounceDomainHint")}
        />
        <Field
          {...form.field("selector")}
          label={t("domains.selector")}
          autoComplete="off"
          hint={t("domains.selectorHint")}
        />
        <Checkbox
          id="domain-ed25519"
          label={t("domains.ed25519")}
          checked={ed25519.value}
          onChange={(checked) => (ed25519.value = checked)}
          hint={t("domains.ed25519Hint")}
        />
        <FormActions
          dialog
          form={form}
          onCancel={onClose}
          submitLabel={t("domains.add")}
          busyLabel={t("domains.adding")}
        />
      </form>
    </Dialog>
  );
}

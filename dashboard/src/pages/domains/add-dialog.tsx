import { useSignal } from "@preact/signals";
import { type Domain, delivery } from "../../api/delivery";
import { Checkbox } from "../../components/checkbox-group";
import { Dialog } from "../../components/dialog";
import { Field } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { useForm } from "../../hooks/use-form";

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
    <Dialog title="Add domain" onClose={onClose}>
      <form class="form" onSubmit={onSubmit} aria-label="Add domain" noValidate>
        <Field
          {...form.field("domain")}
          label="Domain"
          placeholder="example.com"
          autoComplete="off"
          required
          hint="The domain of your From addresses."
        />
        <Field
          {...form.field("bounceDomain")}
          label="Bounce domain"
          placeholder="bounces.example.com"
          autoComplete="off"
          hint="Optional. The Return-Path host; a subdomain keeps SPF aligned for DMARC. Default: the domain itself."
        />
        <Field
          {...form.field("selector")}
          label="DKIM selector"
          autoComplete="off"
          hint="Optional. Default: ep followed by the year and month."
        />
        <Checkbox
          id="domain-ed25519"
          label="Also sign with an Ed25519 key"
          checked={ed25519.value}
          onChange={(checked) => (ed25519.value = checked)}
          hint="A second DKIM signature (RFC 8463) for receivers that check it; one more record to publish."
        />
        <FormActions dialog form={form} onCancel={onClose} submitLabel="Add domain" busyLabel="Adding…" />
      </form>
    </Dialog>
  );
}

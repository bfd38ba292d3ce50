import type { AuditFilters } from "../../api/client";
import { Field } from "../../components/field";
import { useForm } from "../../hooks/use-form";
import { t } from "../../i18n";

interface FiltersProps {
  /** Server validation messages for the filters, keyed by query parameter. */
  errors: Record<string, string>;
  onApply: (filters: AuditFilters) => void;
}

const EMPTY = { entity: "", actorId: "", from: "", to: "" };

/** Filters by entity, actor and a date range; dates are whole days in the reader's time zone. */
export function AuditFilterForm({ errors, onApply }: FiltersProps) {
  const form = useForm("audit", EMPTY);
  const field = (name: keyof typeof EMPTY) => ({ ...form.field(name), error: errors[name] });
  const onSubmit = form.submit(async (values) => onApply(toFilters(values)));

  return (
    <form class="card filters" onSubmit={onSubmit} aria-label={t("auditLog.filters")}>
      <Field
        {...field("entity")}
        label={t("auditLog.entity")}
        placeholder={t("auditLog.entityPlaceholder")}
      />
      <Field
        {...field("actorId")}
        label={t("auditLog.actorId")}
        placeholder={t("auditLog.actorIdPlaceholder")}
      />
      <Field {...field("from")} label={t("auditLog.from")} type="date" />
      <Field {...field("to")} label={t("auditLog.to")} type="date" />
      <div class="filters__actions">
        <button type="submit" class="button button--primary">
          {t("auditLog.apply")}
        </button>
        <button
          type="button"
          class="button"
          onClick={() => {
            form.reset();
            onApply({});
          }}
        >
          {t("auditLog.clear")}
        </button>
      </div>
    </form>
  );
}

function toFilters(values: typeof EMPTY): AuditFilters {
  return {
    entity: values.entity.trim() || undefined,
    actorId: values.actorId.trim() || undefined,
    from: values.from ? new Date(`${values.from}T00:00:00`).toISOString() : undefined,
    to: values.to ? new Date(`${values.to}T23:59:59.999`).toISOString() : undefined,
  };
}

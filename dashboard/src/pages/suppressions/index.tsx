import { useSignal } from "@preact/signals";
import { audience, SUPPRESSION_REASONS, type Suppression, type SuppressionFilters } from "../../api/audience";
import { fieldErrors } from "../../api/errors";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Field } from "../../components/field";
import { FilterBar } from "../../components/filter-bar";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { canEdit } from "../../session";
import { AddSuppressionForm } from "./add-form";

const reasonOptions = () => [
  { value: "", label: t("suppressions.anyReason") },
  ...SUPPRESSION_REASONS.map((reason) => ({ value: reason, label: t(`suppressions.reason.${reason}`) })),
];

export function SuppressionsPage() {
  const filters = useSignal<SuppressionFilters>({});
  const key = JSON.stringify(filters.value);
  const pager = usePager(
    (cursor) => audience.suppressions.list(filters.value, { limit: 50, cursor }),
    key,
    "pages",
  );
  const adding = useSignal(false);
  const removing = useSignal<Suppression | null>(null);
  const notify = useToast();
  const editable = canEdit.value;
  const filterErrors = fieldErrors(pager.error.value);

  const apply = (next: SuppressionFilters) => {
    const clean = { q: next.q?.trim() || undefined, reason: next.reason || undefined };
    if (JSON.stringify(clean) === key) pager.reload();
    else filters.value = clean;
  };

  const columns: Column<Suppression>[] = [
    {
      header: t("common.email"),
      cell: (row) =>
        row.email ?? (
          <span class="muted" title={t("suppressions.hashTitle", { hash: row.emailHash })}>
            {t("suppressions.erasedHash")}
          </span>
        ),
    },
    {
      header: t("suppressions.reasonHeader"),
      cell: (row) => (
        <span class={row.reason === "manual" ? "badge badge--muted" : "badge"}>
          {t(`suppressions.reason.${row.reason}`)}
        </span>
      ),
    },
    { header: t("suppressions.detail"), cell: (row) => row.detail ?? <span class="muted">—</span> },
    { header: t("suppressions.since"), class: "nowrap", cell: (row) => formatDateTime(row.createdAt) },
    ...(editable
      ? [
          {
            header: t("common.actions"),
            class: "table__actions",
            cell: (row: Suppression) =>
              row.email && (
                <button
                  type="button"
                  class="button button--small button--danger-quiet"
                  onClick={() => (removing.value = row)}
                >
                  {t("common.remove")}
                  <span class="visually-hidden"> {row.email}</span>
                </button>
              ),
          },
        ]
      : []),
  ];

  return (
    <Page
      title={t("suppressions.title")}
      intro={t("suppressions.intro")}
      actions={
        editable &&
        !adding.value && (
          <button type="button" class="button button--primary" onClick={() => (adding.value = true)}>
            {t("suppressions.add")}
          </button>
        )
      }
    >
      {adding.value && (
        <AddSuppressionForm
          onCancel={() => (adding.value = false)}
          onAdded={(row) => {
            adding.value = false;
            notify(
              row.email
                ? t("suppressions.suppressed", { email: row.email })
                : t("suppressions.suppressedUnnamed"),
            );
            pager.reload();
          }}
        />
      )}
      <FilterBar
        label={t("suppressions.filters")}
        class="filters--short"
        search={{
          id: "suppressions-q",
          label: t("common.search"),
          placeholder: t("suppressions.placeholder"),
          error: filterErrors.q,
          onSearch: (q) => apply({ ...filters.value, q }),
          onClear: () => apply({}),
        }}
      >
        <Field
          id="suppressions-reason"
          label={t("suppressions.reasonHeader")}
          value={filters.value.reason ?? ""}
          onInput={(value) =>
            apply({ ...filters.value, reason: SUPPRESSION_REASONS.find((reason) => reason === value) })
          }
          options={reasonOptions()}
          error={filterErrors.reason}
        />
      </FilterBar>
      <Table
        label={t("suppressions.title")}
        columns={columns}
        pager={pager}
        rowKey={(row) => row.id}
        empty={key === "{}" ? t("suppressions.empty") : t("suppressions.emptyFiltered")}
        hideError={Object.keys(filterErrors).length > 0}
      />
      {removing.value && (
        <ConfirmDialog
          title={t("suppressions.removeTitle")}
          confirmLabel={t("suppressions.removeConfirm")}
          onClose={() => (removing.value = null)}
          onConfirm={async () => {
            const email = removing.value?.email;
            if (!email) return;
            await audience.suppressions.remove(email);
            notify(t("suppressions.removed", { email }));
            pager.reload();
          }}
        >
          <p>
            <Trans
              k={
                removing.value.reason === "complaint"
                  ? "suppressions.removeBodyComplaint"
                  : "suppressions.removeBody"
              }
              values={{ email: removing.value.email }}
              parts={[(text) => <strong>{text}</strong>]}
            />
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

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
import { canEdit } from "../../session";
import { AddSuppressionForm } from "./add-form";

const REASON_OPTIONS = [
  { value: "", label: "Any reason" },
  ...SUPPRESSION_REASONS.map((reason) => ({ value: reason, label: reason })),
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
      header: "Email",
      cell: (row) =>
        row.email ?? (
          <span class="muted" title={`SHA-256 ${row.emailHash}`}>
            erased (hash only)
          </span>
        ),
    },
    {
      header: "Reason",
      cell: (row) => (
        <span class={row.reason === "manual" ? "badge badge--muted" : "badge"}>{row.reason}</span>
      ),
    },
    { header: "Detail", cell: (row) => row.detail ?? <span class="muted">—</span> },
    { header: "Since", class: "nowrap", cell: (row) => formatDateTime(row.createdAt) },
    ...(editable
      ? [
          {
            header: "Actions",
            class: "table__actions",
            cell: (row: Suppression) =>
              row.email && (
                <button
                  type="button"
                  class="button button--small button--danger-quiet"
                  onClick={() => (removing.value = row)}
                >
                  Remove<span class="visually-hidden"> {row.email}</span>
                </button>
              ),
          },
        ]
      : []),
  ];

  return (
    <Page
      title="Suppressions"
      intro="Addresses that are never mailed, whatever lists they are on: bounces, complaints, unsubscribes, manual blocks and erased people."
      actions={
        editable &&
        !adding.value && (
          <button type="button" class="button button--primary" onClick={() => (adding.value = true)}>
            Add suppression
          </button>
        )
      }
    >
      {adding.value && (
        <AddSuppressionForm
          onCancel={() => (adding.value = false)}
          onAdded={(row) => {
            adding.value = false;
            notify(`${row.email ?? "The address"} is suppressed.`);
            pager.reload();
          }}
        />
      )}
      <FilterBar
        label="Suppression filters"
        class="filters--short"
        search={{
          id: "suppressions-q",
          label: "Search",
          placeholder: "Start of an address",
          error: filterErrors.q,
          onSearch: (q) => apply({ ...filters.value, q }),
          onClear: () => apply({}),
        }}
      >
        <Field
          id="suppressions-reason"
          label="Reason"
          value={filters.value.reason ?? ""}
          onInput={(value) =>
            apply({ ...filters.value, reason: SUPPRESSION_REASONS.find((reason) => reason === value) })
          }
          options={REASON_OPTIONS}
          error={filterErrors.reason}
        />
      </FilterBar>
      <Table
        label="Suppressions"
        columns={columns}
        pager={pager}
        rowKey={(row) => row.id}
        empty={key === "{}" ? "No suppressed addresses." : "No suppressions match these filters."}
        hideError={Object.keys(filterErrors).length > 0}
      />
      {removing.value && (
        <ConfirmDialog
          title="Remove this suppression?"
          confirmLabel="Remove suppression"
          onClose={() => (removing.value = null)}
          onConfirm={async () => {
            const email = removing.value?.email;
            if (!email) return;
            await audience.suppressions.remove(email);
            notify(`${email} can be mailed again.`);
            pager.reload();
          }}
        >
          <p>
            <strong>{removing.value.email}</strong> will be mailed again by every campaign and workflow that
            reaches it. Only do this if you are sure the person wants mail
            {removing.value.reason === "complaint" ? ": they once marked your mail as spam" : ""}.
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

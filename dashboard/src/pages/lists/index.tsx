import { useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { audience, type List } from "../../api/audience";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Field } from "../../components/field";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { Truncated } from "../../components/truncated";
import { formatDate, formatNumber } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { canEdit } from "../../session";
import { FormSnippetDialog } from "./form-snippet";
import { ListDialog } from "./list-dialog";
import "./lists.css";

const members = (list: List) => list.counts.confirmed + list.counts.unconfirmed + list.counts.unsubscribed;

/** The live lists, or the archived ones (`?archived=true`): lists deleted while they had members. */
export function ListsPage() {
  const { query, route } = useLocation();
  const archived = query.archived === "true";
  const pager = usePager(
    (cursor) => (archived ? audience.lists.archived : audience.lists.list)({ limit: 50, cursor }),
    String(archived),
  );
  const editing = useSignal<List | "new" | null>(null);
  const deleting = useSignal<List | null>(null);
  const showingForm = useSignal<List | null>(null);
  const notify = useToast();
  const editable = canEdit.value;

  const columns: Column<List>[] = [
    {
      header: t("common.name"),
      cell: (list) => (
        <>
          <Truncated href={`/subscribers?listId=${encodeURIComponent(list.id)}`} text={list.name} />
          {list.description && (
            <div class="muted cell-note truncate" title={list.description}>
              {list.description}
            </div>
          )}
          {list.archivedAt && (
            <div class="muted cell-note">{t("lists.archivedOn", { date: formatDate(list.archivedAt) })}</div>
          )}
        </>
      ),
    },
    {
      header: t("lists.columns.kind"),
      cell: (list) => (
        <span class="badges">
          <span class={list.visibility === "public" ? "badge badge--ok" : "badge"}>
            {t(`lists.visibilityBadge.${list.visibility}`)}
          </span>
          <span class="badge">{t(`lists.optInBadge.${list.optIn}`)}</span>
        </span>
      ),
    },
    {
      header: t("lists.columns.confirmed"),
      class: "numeric",
      cell: (list) => formatNumber(list.counts.confirmed),
    },
    {
      header: t("lists.columns.unconfirmed"),
      class: "numeric",
      cell: (list) => formatNumber(list.counts.unconfirmed),
    },
    {
      header: t("lists.columns.unsubscribed"),
      class: "numeric",
      cell: (list) => formatNumber(list.counts.unsubscribed),
    },
    {
      header: t("common.actions"),
      class: "table__actions lists__actions",
      cell: (list) => (
        <>
          {/* The snippet endpoint is for editors, like the lists it signs people up to. */}
          {/* Only public lists have a hosted page and a form; a private list's page is a 404. */}
          {editable && list.visibility === "public" && !list.archivedAt && (
            <>
              <button type="button" class="button button--small" onClick={() => (showingForm.value = list)}>
                {t("lists.form")}
                <span class="visually-hidden"> {t("lists.formFor", { name: list.name })}</span>
              </button>
              <a class="button button--small" href={`/lists/${encodeURIComponent(list.id)}/signup`}>
                {t("lists.signupPage")}
                <span class="visually-hidden"> {t("lists.signupPageOf", { name: list.name })}</span>
              </a>
            </>
          )}
          {editable && !list.archivedAt && (
            <>
              <button type="button" class="button button--small" onClick={() => (editing.value = list)}>
                {t("common.edit")}
                <span class="visually-hidden"> {list.name}</span>
              </button>
              <button
                type="button"
                class="button button--small button--danger-quiet"
                onClick={() => (deleting.value = list)}
              >
                {members(list) > 0 ? t("lists.archive") : t("common.delete")}
                <span class="visually-hidden"> {list.name}</span>
              </button>
            </>
          )}
        </>
      ),
    },
  ];

  return (
    <Page
      title={t("lists.title")}
      intro={t("lists.intro")}
      actions={
        editable && (
          <button type="button" class="button button--primary" onClick={() => (editing.value = "new")}>
            {t("lists.new")}
          </button>
        )
      }
    >
      <form class="card filters" aria-label={t("lists.filters")} onSubmit={(e) => e.preventDefault()}>
        <Field
          id="lists-show"
          label={t("lists.show")}
          value={archived ? "archived" : ""}
          onInput={(value) => route(value === "archived" ? "/lists?archived=true" : "/lists", true)}
          options={[
            { value: "", label: t("lists.inUse") },
            { value: "archived", label: t("lists.archivedLists") },
          ]}
        />
      </form>
      <Table
        label={t("lists.title")}
        columns={columns}
        pager={pager}
        rowKey={(list) => list.id}
        empty={archived ? t("lists.emptyArchived") : t("lists.empty")}
      />
      {editing.value && (
        <ListDialog
          list={editing.value === "new" ? undefined : editing.value}
          onClose={() => (editing.value = null)}
          onSaved={(saved) => {
            const created = editing.value === "new";
            editing.value = null;
            notify(created ? t("lists.created", { name: saved.name }) : t("common.changesSaved"));
            if (created) pager.reload();
            else pager.rows.value = pager.rows.value.map((row) => (row.id === saved.id ? saved : row));
          }}
        />
      )}
      {deleting.value &&
        (members(deleting.value) > 0 ? (
          <ConfirmDialog
            title={t("lists.archiveDialog.title")}
            confirmLabel={t("lists.archiveDialog.confirm")}
            onClose={() => (deleting.value = null)}
            onConfirm={async () => {
              const list = deleting.value;
              if (!list) return;
              await audience.lists.remove(list.id);
              notify(t("lists.archived", { name: list.name }));
              pager.reload();
            }}
          >
            <p>
              <Trans
                k="lists.archiveDialog.body"
                values={{
                  name: deleting.value.name,
                  count: members(deleting.value),
                  formatted: formatNumber(members(deleting.value)),
                }}
                parts={[(text) => <strong>{text}</strong>]}
              />
            </p>
          </ConfirmDialog>
        ) : (
          <ConfirmDialog
            title={t("lists.deleteDialog.title")}
            confirmLabel={t("lists.deleteDialog.confirm")}
            onClose={() => (deleting.value = null)}
            onConfirm={async () => {
              const list = deleting.value;
              if (!list) return;
              await audience.lists.remove(list.id);
              notify(t("lists.deleted", { name: list.name }));
              pager.reload();
            }}
          >
            <p>
              <Trans
                k="lists.deleteDialog.body"
                values={{ name: deleting.value.name }}
                parts={[(text) => <strong>{text}</strong>]}
              />
            </p>
          </ConfirmDialog>
        ))}
      {showingForm.value && (
        <FormSnippetDialog list={showingForm.value} onClose={() => (showingForm.value = null)} />
      )}
    </Page>
  );
}

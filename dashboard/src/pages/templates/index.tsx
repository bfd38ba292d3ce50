import { lazy, useLocation } from "preact-iso";
import { content, TEMPLATE_KINDS, type TemplateFilters, type TemplateSummary } from "../../api/content";
import { fieldErrors } from "../../api/errors";
import { Field } from "../../components/field";
import { FilterBar } from "../../components/filter-bar";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { Truncated } from "../../components/truncated";
import { formatDateTime, formatNumber } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { canEdit } from "../../session";
import { kindOptions } from "./draft";

/** The editor (and CodeMirror with it) loads the first time a template is opened. */
export const TemplatePage = lazy(() => import("./editor").then((module) => module.TemplatePage));

const columns = (): Column<TemplateSummary>[] => [
  {
    header: t("common.name"),
    cell: (template) => (
      <Truncated href={`/templates/${encodeURIComponent(template.id)}`} text={template.name} />
    ),
  },
  {
    header: t("templates.columns.kind"),
    cell: (template) => <span class="badge">{t(`templates.kindBadges.${template.kind}`)}</span>,
  },
  { header: t("templates.columns.subject"), cell: (template) => <Truncated text={template.subject} /> },
  {
    header: t("templates.columns.version"),
    class: "numeric",
    cell: (template) => formatNumber(template.currentVersion),
  },
  {
    header: t("templates.columns.updated"),
    class: "nowrap",
    cell: (template) => formatDateTime(template.updatedAt),
  },
];

/** The filters live in the address, so "Back to templates" returns to the same search. */
function readFilters(query: Record<string, string>): TemplateFilters {
  return {
    q: query.q || undefined,
    kind: TEMPLATE_KINDS.find((kind) => kind === query.kind),
  };
}

function filtersUrl(filters: TemplateFilters): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.kind) params.set("kind", filters.kind);
  const text = params.toString();
  return text ? `/templates?${text}` : "/templates";
}

/** Saved templates, searchable by name and filterable by kind; each opens in the editor. */
export function TemplatesPage() {
  const { query, route } = useLocation();
  const filters = readFilters(query);
  const key = JSON.stringify(filters);
  const pager = usePager((cursor) => content.templates.list(filters, { limit: 50, cursor }), key, "pages");
  const errors = fieldErrors(pager.error.value);
  const apply = (next: TemplateFilters) => {
    if (JSON.stringify(next) === key) pager.reload();
    else route(filtersUrl(next), true);
  };

  return (
    <Page
      title={t("templates.title")}
      intro={t("templates.intro")}
      actions={
        canEdit.value && (
          <a class="button button--primary" href="/templates/new">
            {t("templates.new")}
          </a>
        )
      }
    >
      <FilterBar
        label={t("templates.filters")}
        search={{
          id: "templates-q",
          label: t("common.search"),
          placeholder: t("templates.searchPlaceholder"),
          error: errors.q,
          applied: filters.q,
          onSearch: (q) => apply({ ...filters, q }),
          onClear: () => apply({}),
        }}
      >
        <Field
          id="templates-kind"
          label={t("templates.columns.kind")}
          value={filters.kind ?? ""}
          options={[{ value: "", label: t("templates.anyKind") }, ...kindOptions()]}
          onInput={(kind) => apply({ ...filters, kind: TEMPLATE_KINDS.find((value) => value === kind) })}
          error={errors.kind}
        />
      </FilterBar>
      <Table
        label={t("templates.title")}
        columns={columns()}
        pager={pager}
        rowKey={(template) => template.id}
        empty={key === "{}" ? t("templates.empty") : t("templates.emptyFiltered")}
        hideError={Object.keys(errors).length > 0}
        onRowClick={(template) => route(`/templates/${encodeURIComponent(template.id)}`)}
      />
    </Page>
  );
}

import { useSignal } from "@preact/signals";
import { content, type Template, type TemplateVersion } from "../../api/content";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, Table } from "../../components/table";
import { formatDateTime, shortId } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { VersionCompare } from "./version-compare";

interface VersionsPanelProps {
  template: Template;
  editable: boolean;
  /** Unsaved edits in the editor, which a restore replaces. */
  dirty: boolean;
  onRestored: (template: Template) => void;
}

/** Every saved version (newest first), a diff between any two, and "Restore this version". */
export function VersionsPanel({ template, editable, dirty, onRestored }: VersionsPanelProps) {
  const pager = usePager(
    (cursor) => content.templates.versions(template.id, { limit: 20, cursor }),
    `${template.id}:${template.currentVersion}`,
  );
  const restoring = useSignal<TemplateVersion | null>(null);

  const columns: Column<TemplateVersion>[] = [
    {
      header: t("templates.columns.version"),
      cell: (version) => (
        <>
          {version.version}
          {version.version === template.currentVersion && (
            <span class="badge badge--ok">{t("templates.versions.current")}</span>
          )}
        </>
      ),
    },
    {
      header: t("templates.versions.saved"),
      class: "nowrap",
      cell: (version) => formatDateTime(version.createdAt),
    },
    {
      header: t("templates.versions.author"),
      cell: (version) =>
        version.createdByName ? (
          version.createdByName
        ) : version.createdById ? (
          <code title={version.createdById}>{shortId(version.createdById)}</code>
        ) : (
          <span class="muted">{t("templates.versions.apiOrSystem")}</span>
        ),
    },
    { header: t("templates.columns.subject"), cell: (version) => version.subject },
    {
      header: t("templates.versions.editor"),
      cell: (version) =>
        version.editor === "blocks" ? t("templates.versions.blocks") : t("templates.parts.html"),
    },
    {
      header: t("common.actions"),
      class: "table__actions",
      cell: (version) =>
        editable &&
        version.version !== template.currentVersion && (
          <button type="button" class="button button--small" onClick={() => (restoring.value = version)}>
            {t("templates.versions.restore")}
            <span class="visually-hidden">
              {" "}
              {t("templates.versions.restoreWhich", { version: version.version })}
            </span>
          </button>
        ),
    },
  ];

  return (
    <section class="card template-versions" aria-labelledby="versions-title">
      <h2 id="versions-title">{t("templates.versions.title")}</h2>
      <p class="muted">{t("templates.versions.intro")}</p>
      <Table
        label={t("templates.versions.title")}
        columns={columns}
        pager={pager}
        rowKey={(version) => version.id}
        empty={t("templates.versions.empty")}
      />
      {template.currentVersion > 1 && <VersionCompare key={template.currentVersion} template={template} />}
      {restoring.value && (
        <ConfirmDialog
          title={t("templates.versions.restoreTitle", { version: restoring.value.version })}
          confirmLabel={t("templates.versions.restoreConfirm")}
          onClose={() => (restoring.value = null)}
          onConfirm={async () => {
            const version = restoring.value;
            if (!version) return;
            onRestored(await content.templates.update(template.id, { restoreVersion: version.version }));
          }}
        >
          <p>
            {t("templates.versions.restoreBody", {
              version: restoring.value.version,
              next: template.currentVersion + 1,
              current: template.currentVersion,
            })}
          </p>
          {dirty && (
            <p>
              <strong>{t("templates.versions.discardWarning")}</strong>
            </p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

import { useSignal } from "@preact/signals";
import { content, type Template, type TemplateVersion } from "../../api/content";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, Table } from "../../components/table";
import { formatDateTime, shortId } from "../../format";
import { usePager } from "../../hooks/use-pager";
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
      header: "Version",
      cell: (version) => (
        <>
          {version.version}
          {version.version === template.currentVersion && <span class="badge badge--ok">current</span>}
        </>
      ),
    },
    { header: "Saved", class: "nowrap", cell: (version) => formatDateTime(version.createdAt) },
    {
      header: "Author",
      cell: (version) =>
        version.createdByName ? (
          version.createdByName
        ) : version.createdById ? (
          <code title={version.createdById}>{shortId(version.createdById)}</code>
        ) : (
          <span class="muted">API key or system</span>
        ),
    },
    { header: "Subject", cell: (version) => version.subject },
    { header: "Editor", cell: (version) => (version.editor === "blocks" ? "Blocks" : "HTML") },
    {
      header: "Actions",
      class: "table__actions",
      cell: (version) =>
        editable &&
        version.version !== template.currentVersion && (
          <button type="button" class="button button--small" onClick={() => (restoring.value = version)}>
            Restore this version<span class="visually-hidden"> (version {version.version})</span>
          </button>
        ),
    },
  ];

  return (
    <section class="card template-versions" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <p class="muted">
        Every content change is saved as a new version; campaigns keep the version they were sent with.
      </p>
      <Table
        label="Versions"
        columns={columns}
        pager={pager}
        rowKey={(version) => version.id}
        empty="No versions yet."
      />
      {template.currentVersion > 1 && <VersionCompare key={template.currentVersion} template={template} />}
      {restoring.value && (
        <ConfirmDialog
          title={`Restore version ${restoring.value.version}?`}
          confirmLabel="Restore version"
          onClose={() => (restoring.value = null)}
          onConfirm={async () => {
            const version = restoring.value;
            if (!version) return;
            onRestored(await content.templates.update(template.id, { restoreVersion: version.version }));
          }}
        >
          <p>
            The content of version {restoring.value.version} becomes a new version,{" "}
            {template.currentVersion + 1}. Version {template.currentVersion} stays in the history.
          </p>
          {dirty && (
            <p>
              <strong>Your unsaved changes in the editor will be discarded.</strong>
            </p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

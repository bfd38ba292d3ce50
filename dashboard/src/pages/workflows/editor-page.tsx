import { useLocation, useRoute } from "preact-iso";
import { ApiError } from "../../api/errors";
import { workflowsApi } from "../../api/workflows";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { useResource } from "../../hooks/use-resource";
import { t } from "../../i18n";
import { canEdit } from "../../session";
import { WorkflowEditor } from "./editor";
import { useLookups } from "./lookups";
import { starterOf } from "./starters";

/** `/workflows/new?start=…` (a starting point) or `/workflows/:id`: load, then edit. */
export function WorkflowPage() {
  const { params } = useRoute();
  const { query } = useLocation();
  const id = params.id ?? "new";
  const isNew = id === "new";
  const lookups = useLookups();
  const workflow = useResource(() => (isNew ? Promise.resolve(null) : workflowsApi.get(id)), id);
  const starter = starterOf(query.start);

  if (isNew && !canEdit.value) {
    return (
      <Page title={t("workflows.list.new")}>
        <p class="card notice" role="note">
          {t("workflows.editor.cannotCreate")}
        </p>
      </Page>
    );
  }
  const loaded = workflow.data.value;
  const data = lookups.data.value;
  if (loaded === undefined || !data) {
    const error = workflow.error.value ?? lookups.error.value;
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <Page title={missing ? t("workflows.editor.notFound") : t("workflows.editor.workflow")}>
        <p class="back-link">
          <a href="/workflows">← {t("workflows.editor.all")}</a>
        </p>
        {missing ? (
          <p class="card notice" role="note">
            {t("workflows.editor.notFoundText")}
          </p>
        ) : (
          <>
            <ErrorBanner
              error={error}
              onRetry={() => (workflow.error.value ? workflow.reload() : lookups.reload())}
            />
            {!error && (
              <p class="muted" aria-busy="true">
                {t("common.loading")}
              </p>
            )}
          </>
        )}
      </Page>
    );
  }
  return (
    <WorkflowEditor
      key={loaded?.id ?? `new-${starter.key}`}
      workflow={loaded}
      starter={starter}
      lookups={data}
    />
  );
}

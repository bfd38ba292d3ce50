import { type WorkflowInstance, workflowsApi } from "../../api/workflows";
import { ErrorBanner } from "../../components/error-banner";
import { formatDateTime } from "../../format";
import { useResource } from "../../hooks/use-resource";
import { t } from "../../i18n";
import { InstanceStatusBadge } from "../workflows/status";

/** Workflows looked at: the API has no cross-workflow run search, so each is asked in turn. */
const MAX_WORKFLOWS = 50;
const AT_ONCE = 5;

/**
 * The subscriber's runs in every workflow. With no endpoint across workflows, this lists the first
 * 50 workflows and asks those anyone ever entered for this subscriber's runs, five at a time.
 */
export function WorkflowRuns({ subscriberId }: { subscriberId: string }) {
  const runs = useResource(() => runsOf(subscriberId), subscriberId);
  const list = runs.data.value ?? [];
  return (
    <section class="card" aria-labelledby="runs-title" aria-busy={runs.loading.value}>
      <h2 id="runs-title">{t("subscribers.runs.title")}</h2>
      <ErrorBanner error={runs.error.value} onRetry={runs.reload} />
      {runs.loading.value && <p class="muted">{t("common.loading")}</p>}
      {!runs.loading.value && !runs.error.value && list.length === 0 && (
        <p class="muted">{t("subscribers.runs.none")}</p>
      )}
      {list.length > 0 && (
        <div class="table-wrap">
          <table class="table" aria-label={t("subscribers.runs.label")}>
            <thead>
              <tr>
                <th scope="col">{t("subscribers.runs.workflow")}</th>
                <th scope="col">{t("common.status")}</th>
                <th scope="col">{t("subscribers.runs.atStep")}</th>
                <th scope="col">{t("subscribers.runs.entered")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((run) => (
                <tr key={run.id}>
                  <td>
                    <a
                      href={`/workflows/${encodeURIComponent(run.workflowId)}/instances/${encodeURIComponent(run.id)}`}
                    >
                      {run.workflowName}
                    </a>
                  </td>
                  <td>
                    <InstanceStatusBadge status={run.status} />
                  </td>
                  <td>{run.currentNode ?? "—"}</td>
                  <td class="nowrap">{formatDateTime(run.enteredAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Runs newest first, from the workflows anyone entered (a draft never ran: no request for it). */
async function runsOf(subscriberId: string): Promise<WorkflowInstance[]> {
  const workflows = await workflowsApi.list({}, { limit: MAX_WORKFLOWS });
  const entered = workflows.data.filter((workflow) => workflow.counts.entered > 0);
  const found: WorkflowInstance[] = [];
  for (let start = 0; start < entered.length; start += AT_ONCE) {
    const pages = await Promise.all(
      entered
        .slice(start, start + AT_ONCE)
        .map((workflow) => workflowsApi.instances(workflow.id, { subscriberId }, { limit: 20 })),
    );
    for (const page of pages) found.push(...page.data);
  }
  return found.sort((a, b) => b.enteredAt.localeCompare(a.enteredAt));
}

import { useRoute } from "preact-iso";
import { type WorkflowInstanceDetail, type WorkflowStep, workflowsApi } from "../../api/workflows";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { formatDateTime } from "../../format";
import { useResource } from "../../hooks/use-resource";
import { nodeTitle } from "./model";
import { InstanceStatusBadge } from "./status";

/** `/workflows/:id/instances/:instanceId`: one subscriber's run, step by step. */
export function InstancePage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const instanceId = params.instanceId ?? "";
  const run = useResource(() => workflowsApi.instance(id, instanceId), `${id}/${instanceId}`);
  const workflow = useResource(() => workflowsApi.get(id), id);
  const titles = new Map((workflow.data.value?.nodes ?? []).map((node) => [node.id, nodeTitle(node)]));
  const title = (nodeId: string | null) => (nodeId ? `${titles.get(nodeId) ?? nodeId}` : "—");
  const current = run.data.value;
  return (
    <Page
      title={current ? `Run of ${current.email ?? "an erased subscriber"}` : "Run"}
      intro={current ? `In ${current.workflowName}, version ${current.version}` : undefined}
      actions={
        <a class="button" href={`/workflows/${encodeURIComponent(id)}/instances`}>
          All runs
        </a>
      }
    >
      <ErrorBanner error={run.error.value} onRetry={run.reload} />
      {!current && !run.error.value && (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      )}
      {current && <Summary run={current} title={title} />}
      {current && <Steps steps={current.steps} title={title} />}
    </Page>
  );
}

function Summary({ run, title }: { run: WorkflowInstanceDetail; title: (id: string | null) => string }) {
  return (
    <section class="card" aria-label="Run">
      <dl class="wf-facts">
        <dt>Status</dt>
        <dd>
          <InstanceStatusBadge status={run.status} />
          {run.exitReason && <span class="muted"> ({run.exitReason})</span>}
        </dd>
        <dt>Subscriber</dt>
        <dd>
          {run.subscriberId ? (
            <a href={`/subscribers/${encodeURIComponent(run.subscriberId)}`}>{run.email}</a>
          ) : (
            "Erased"
          )}
        </dd>
        <dt>Current step</dt>
        <dd data-testid="current-node">
          {title(run.currentNode)} {run.currentNode && <code class="muted">{run.currentNode}</code>}
        </dd>
        <dt>Wakes</dt>
        <dd>{formatDateTime(run.wakeAt)}</dd>
        <dt>Version</dt>
        <dd>{run.version}</dd>
        <dt>Entered</dt>
        <dd>{formatDateTime(run.enteredAt)}</dd>
      </dl>
    </section>
  );
}

/** The path taken: each step with its kind, outcome and time, oldest first. */
function Steps({ steps, title }: { steps: WorkflowStep[]; title: (id: string | null) => string }) {
  return (
    <section class="card" aria-labelledby="steps-title">
      <h2 id="steps-title">Path taken</h2>
      {steps.length === 0 ? (
        <p class="muted">No steps yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="table" aria-label="Path taken">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Step</th>
                <th scope="col">Kind</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((step, index) => (
                <tr key={index}>
                  <td class="nowrap">{formatDateTime(step.at)}</td>
                  <td>
                    {title(step.nodeId)} <code class="muted">{step.nodeId}</code>
                  </td>
                  <td>{step.kind.replaceAll("_", " ")}</td>
                  <td>{step.outcome.replaceAll("_", " ")}</td>
                  <td class="wf-step-detail">{step.detail ? JSON.stringify(step.detail) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

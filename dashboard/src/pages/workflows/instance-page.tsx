import { useRoute } from "preact-iso";
import { type WorkflowInstanceDetail, type WorkflowStep, workflowsApi } from "../../api/workflows";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { formatDateTime } from "../../format";
import { useResource } from "../../hooks/use-resource";
import { t } from "../../i18n";
import { NODE_TYPES, nodeTitle, typeLabel } from "./model";
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
      title={
        current
          ? current.email
            ? t("workflows.run.titleOf", { email: current.email })
            : t("workflows.run.titleErased")
          : t("workflows.run.title")
      }
      intro={
        current
          ? t("workflows.run.intro", { name: current.workflowName, version: current.version })
          : undefined
      }
      actions={
        <a class="button" href={`/workflows/${encodeURIComponent(id)}/instances`}>
          {t("workflows.run.all")}
        </a>
      }
    >
      <ErrorBanner error={run.error.value} onRetry={run.reload} />
      {!current && !run.error.value && (
        <p class="muted" aria-busy="true">
          {t("common.loading")}
        </p>
      )}
      {current && <Summary run={current} title={title} />}
      {current && <Steps steps={current.steps} title={title} />}
    </Page>
  );
}

function Summary({ run, title }: { run: WorkflowInstanceDetail; title: (id: string | null) => string }) {
  return (
    <section class="card" aria-label={t("workflows.run.title")}>
      <dl class="wf-facts">
        <dt>{t("common.status")}</dt>
        <dd>
          <InstanceStatusBadge status={run.status} />
          {run.exitReason && <span class="muted"> ({exitReason(run.exitReason)})</span>}
        </dd>
        <dt>{t("workflows.run.subscriber")}</dt>
        <dd>
          {run.subscriberId ? (
            <a href={`/subscribers/${encodeURIComponent(run.subscriberId)}`}>{run.email}</a>
          ) : (
            t("workflows.run.erased")
          )}
        </dd>
        <dt>{t("workflows.run.currentStep")}</dt>
        <dd data-testid="current-node">
          {title(run.currentNode)} {run.currentNode && <code class="muted">{run.currentNode}</code>}
        </dd>
        <dt>{t("workflows.run.wakes")}</dt>
        <dd>{formatDateTime(run.wakeAt)}</dd>
        <dt>{t("workflows.list.version")}</dt>
        <dd>{run.version}</dd>
        <dt>{t("workflows.list.entered")}</dt>
        <dd>{formatDateTime(run.enteredAt)}</dd>
      </dl>
    </section>
  );
}

/** The path taken: each step with its kind, outcome and time, oldest first. */
function Steps({ steps, title }: { steps: WorkflowStep[]; title: (id: string | null) => string }) {
  return (
    <section class="card" aria-labelledby="steps-title">
      <h2 id="steps-title">{t("workflows.run.path")}</h2>
      {steps.length === 0 ? (
        <p class="muted">{t("workflows.run.noSteps")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table" aria-label={t("workflows.run.path")}>
            <thead>
              <tr>
                <th scope="col">{t("workflows.run.time")}</th>
                <th scope="col">{t("workflows.run.step")}</th>
                <th scope="col">{t("workflows.run.kind")}</th>
                <th scope="col">{t("workflows.run.outcome")}</th>
                <th scope="col">{t("workflows.run.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((step, index) => (
                <tr key={index}>
                  <td class="nowrap">{formatDateTime(step.at)}</td>
                  <td>
                    {title(step.nodeId)} <code class="muted">{step.nodeId}</code>
                  </td>
                  <td>{stepKind(step.kind)}</td>
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

/** A step's kind: a step type's name when it is one, else the server's word. */
function stepKind(kind: string): string {
  const type = NODE_TYPES.find((candidate) => candidate === kind);
  return type ? typeLabel(type) : kind.replaceAll("_", " ");
}

/** Why a run ended, in words when the reason is a known one. */
function exitReason(reason: string): string {
  return t(`workflows.run.exitReasons.${reason}`, { defaultValue: reason.replaceAll("_", " ") });
}

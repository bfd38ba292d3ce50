import type { InstanceStatus, WorkflowStatus } from "../../api/workflows";
import { t } from "../../i18n";

/** A workflow's status in the current language ("active"). */
export function statusLabel(status: WorkflowStatus): string {
  return t(`workflows.status.${status}`);
}

/** A run's status in the current language ("waiting"). */
export function runStatusLabel(status: InstanceStatus): string {
  return t(`workflows.runStatus.${status}`);
}

const WORKFLOW_TONES: Record<WorkflowStatus, string> = {
  draft: "badge badge--muted",
  active: "badge badge--ok",
  paused: "badge badge--warning",
  inactive: "badge badge--danger",
};

const INSTANCE_TONES: Record<InstanceStatus, string> = {
  running: "badge badge--admin",
  waiting: "badge badge--admin",
  completed: "badge badge--ok",
  converted: "badge badge--ok",
  exited: "badge badge--muted",
  failed: "badge badge--danger",
};

/** A workflow's status: draft, active, paused, inactive. */
export function WorkflowStatusBadge({ status }: { status: WorkflowStatus }) {
  return (
    <span class={WORKFLOW_TONES[status]} data-testid="workflow-status">
      {statusLabel(status)}
    </span>
  );
}

/** One run's status. */
export function InstanceStatusBadge({ status }: { status: InstanceStatus }) {
  return <span class={INSTANCE_TONES[status]}>{runStatusLabel(status)}</span>;
}

/** Active or paused: instances exist and per-node counts mean something. */
export function isRunning(status: WorkflowStatus | undefined): boolean {
  return status === "active" || status === "paused";
}

import type { ComponentChildren } from "preact";
import { canManage, role } from "../session";
import { Page } from "./page";

/** Settings pages are for owners and admins; others see why they cannot use them. */
export function ManagersOnly({ title, children }: { title: string; children: ComponentChildren }) {
  if (canManage.value) return <>{children}</>;
  return (
    <Page title={title}>
      <div class="card notice" role="note" data-testid="no-access">
        <p>
          <strong>You do not have access to this page.</strong> {title} is managed by owners and admins; your
          role is <em>{role.value ?? "unknown"}</em>.
        </p>
        <p>Ask an owner or admin of this Edgepost if you need a change here.</p>
      </div>
    </Page>
  );
}

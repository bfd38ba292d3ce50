import type { ComponentChildren } from "preact";
import { canEdit, role } from "../session";
import { Page } from "./page";

/**
 * A page that only makes something (a new segment, an import): analysts, who can read but not
 * change, are told so instead of being shown a form the server would refuse.
 */
export function EditorsOnly({
  title,
  what,
  children,
}: {
  title: string;
  what: string;
  children: ComponentChildren;
}) {
  if (canEdit.value) return <>{children}</>;
  return (
    <Page title={title}>
      <div class="card notice" role="note" data-testid="read-only">
        <p>
          <strong>Your role can look at {what} but not change them.</strong> You are signed in as{" "}
          <em>{role.value ?? "unknown"}</em>; editors, admins and owners can do this.
        </p>
      </div>
    </Page>
  );
}

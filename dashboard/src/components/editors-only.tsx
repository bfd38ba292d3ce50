import type { ComponentChildren } from "preact";
import { hasKey } from "../i18n";
import { Trans } from "../i18n/trans";
import { canEdit, role } from "../session";
import { Page } from "./page";
import { roleName } from "./role-badge";

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
          <Trans
            k={
              hasKey(`components.editorsOnly.readOnly.${what}`)
                ? `components.editorsOnly.readOnly.${what}`
                : "components.editorsOnly.readOnlyOther"
            }
            values={{ what, role: roleName(role.value) }}
            parts={[(text) => <strong>{text}</strong>, (text) => <em>{text}</em>]}
          />
        </p>
      </div>
    </Page>
  );
}

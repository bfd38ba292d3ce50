import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { Trans } from "../i18n/trans";
import { canManage, role } from "../session";
import { Page } from "./page";
import { roleName } from "./role-badge";

/** Settings pages are for owners and admins; others see why they cannot use them. */
export function ManagersOnly({ title, children }: { title: string; children: ComponentChildren }) {
  if (canManage.value) return <>{children}</>;
  return (
    <Page title={title}>
      <div class="card notice" role="note" data-testid="no-access">
        <p>
          <Trans
            k="components.managersOnly.noAccess"
            values={{ title, role: roleName(role.value) }}
            parts={[(text) => <strong>{text}</strong>, (text) => <em>{text}</em>]}
          />
        </p>
        <p>{t("components.managersOnly.ask")}</p>
      </div>
    </Page>
  );
}

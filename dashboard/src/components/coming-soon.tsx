import { t } from "../i18n";
import { Page } from "./page";

interface ComingSoonProps {
  title: string;
  /** One sentence: what this part of Edgepost will do. */
  description: string;
}

/** An honest placeholder for an area that is planned but not built yet: no sample data. */
export function ComingSoon({ title, description }: ComingSoonProps) {
  return (
    <Page title={title}>
      <div class="card coming-soon">
        <span class="badge badge--muted coming-soon__badge">{t("components.comingSoon.badge")}</span>
        <p class="coming-soon__what">{description}</p>
        <p class="muted">{t("components.comingSoon.notYet", { title })}</p>
      </div>
    </Page>
  );
}

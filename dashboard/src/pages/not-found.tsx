import { Page } from "../components/page";
import { t } from "../i18n";
import { Trans } from "../i18n/trans";

export function NotFoundPage() {
  return (
    <Page title={t("auth.notFound.title")}>
      <div class="card">
        <p>
          <Trans k="auth.notFound.body" parts={[(s) => <a href="/">{s}</a>]} />
        </p>
      </div>
    </Page>
  );
}

import { ApiError, describeError } from "../api/errors";
// Loaded with every banner: validation messages in the dashboard's language.
import "./issue-message";
import { t } from "../i18n";

interface ErrorBannerProps {
  error: unknown;
  onRetry?: () => void;
}

/** A failed request, said plainly, with the request id support will ask for. */
export function ErrorBanner({ error, onRetry }: ErrorBannerProps) {
  if (error === null || error === undefined) return null;
  const requestId = error instanceof ApiError ? error.requestId : null;
  const heading = title(error);
  return (
    <div class="banner banner--error" role="alert" data-testid="error-banner">
      <div>
        {heading && <strong>{heading} </strong>}
        {describeError(error)}
        {requestId && <span class="banner__meta">{t("components.error.requestId", { id: requestId })}</span>}
      </div>
      {onRetry && (
        <button type="button" class="button button--small" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

/** A lead-in where the server's message alone would not say what kind of failure it was. */
function title(error: unknown): string | null {
  if (!(error instanceof ApiError)) return t("components.error.generic");
  if (error.status === 403) return t("components.error.forbidden");
  if (error.status === 0) return t("components.error.offline");
  if (error.status >= 500) return t("components.error.server");
  return null;
}

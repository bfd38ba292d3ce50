import { useLocation } from "preact-iso";
import { auth } from "../api/auth";
import { ApiError } from "../api/errors";
import { AuthCard } from "../components/auth-card";
import { ErrorBanner } from "../components/error-banner";
import { Field } from "../components/field";
import { useForm } from "../hooks/use-form";
import { t } from "../i18n";
import { begin, notice } from "../session";

/** Sign-in. On success the session starts and the app routes onwards by itself. */
export function LoginPage() {
  const { query } = useLocation();
  const form = useForm("login", { email: query.email ?? "", password: "" });
  const onSubmit = form.submit(async (values) => {
    notice.value = null;
    try {
      await begin(await auth.login(values));
    } catch (error) {
      throw error instanceof ApiError && error.status === 429 ? throttled(error) : error;
    }
  });

  return (
    <AuthCard title={t("auth.login.title")} intro={t("auth.login.intro")}>
      {notice.value && (
        // i18n-ignore
        <div class={`banner banner--${notice.value.tone}`} role="status">
          {notice.value.text}
        </div>
      )}
      <form class="form" onSubmit={onSubmit}>
        <Field
          {...form.field("email")}
          label={t("common.email")}
          type="email"
          autoComplete="username"
          required
        />
        <Field
          {...form.field("password")}
          label={t("auth.password")}
          type="password"
          autoComplete="current-password"
          required
        />
        <ErrorBanner error={form.failure.value} />
        <button type="submit" class="button button--primary button--block" disabled={form.busy.value}>
          {form.busy.value ? t("auth.login.busy") : t("auth.login.submit")}
        </button>
      </form>
      <p class="auth__aside">
        <a href="/forgot-password">{t("auth.login.forgot")}</a>
      </p>
    </AuthCard>
  );
}

/** The server's 429 in words: how long until the next attempt is allowed. */
function throttled(error: ApiError): ApiError {
  const minutes = error.retryAfter === null ? null : Math.max(1, Math.ceil(error.retryAfter / 60));
  const wait = minutes === null ? t("auth.login.fewMinutes") : t("auth.login.minutes", { count: minutes });
  return new ApiError({
    status: error.status,
    code: error.code,
    message: t("auth.login.throttled", { wait }),
    requestId: error.requestId,
    retryAfter: error.retryAfter,
  });
}

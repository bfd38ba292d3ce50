import { useLocation } from "preact-iso";
import { auth } from "../api/auth";
import { ApiError } from "../api/errors";
import { AuthCard } from "../components/auth-card";
import { ErrorBanner } from "../components/error-banner";
import { Field } from "../components/field";
import { useForm } from "../hooks/use-form";
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
    <AuthCard title="Sign in" intro="Sign in to manage your audience, campaigns and sending.">
      {notice.value && (
        <div class={`banner banner--${notice.value.tone}`} role="status">
          {notice.value.text}
        </div>
      )}
      <form class="form" onSubmit={onSubmit}>
        <Field {...form.field("email")} label="Email" type="email" autoComplete="username" required />
        <Field
          {...form.field("password")}
          label="Password"
          type="password"
          autoComplete="current-password"
          required
        />
        <ErrorBanner error={form.failure.value} />
        <button type="submit" class="button button--primary button--block" disabled={form.busy.value}>
          {form.busy.value ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p class="auth__aside">
        <a href="/forgot-password">Forgot password?</a>
      </p>
    </AuthCard>
  );
}

/** The server's 429 in words: how long until the next attempt is allowed. */
function throttled(error: ApiError): ApiError {
  const minutes = error.retryAfter === null ? null : Math.max(1, Math.ceil(error.retryAfter / 60));
  const wait = minutes === null ? "a few minutes" : minutes === 1 ? "1 minute" : `${minutes} minutes`;
  return new ApiError({
    status: error.status,
    code: error.code,
    message: `Too many attempts, try again in ${wait}.`,
    requestId: error.requestId,
    retryAfter: error.retryAfter,
  });
}

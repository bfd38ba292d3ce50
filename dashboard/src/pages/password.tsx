import { useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { auth } from "../api/auth";
import { AuthCard } from "../components/auth-card";
import { ErrorBanner } from "../components/error-banner";
import { Field } from "../components/field";
import { useForm } from "../hooks/use-form";
import { t } from "../i18n";
import { Trans } from "../i18n/trans";
import { notice, signOut, status } from "../session";

/**
 * "Forgot password?": asks for a reset link. The answer is the same whether or not the address
 * has an account, so the page says what happens if it does.
 */
export function ForgotPasswordPage() {
  const sentTo = useSignal<string | null>(null);
  const form = useForm("forgot", { email: "" });
  const onSubmit = form.submit(async ({ email }) => {
    await auth.requestReset(email.trim());
    sentTo.value = email.trim();
  });

  if (sentTo.value) {
    return (
      <AuthCard title={t("auth.forgot.sentTitle")} intro="">
        <p role="status">
          <Trans
            k="auth.forgot.sent"
            values={{ email: sentTo.value }}
            parts={[(s) => <strong>{s}</strong>]}
          />
        </p>
        <p>
          <a href="/login">{t("auth.backToSignIn")}</a>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("auth.forgot.title")} intro={t("auth.forgot.intro")}>
      <form class="form" onSubmit={onSubmit} noValidate>
        <Field
          {...form.field("email")}
          label={t("common.email")}
          type="email"
          autoComplete="username"
          required
        />
        <ErrorBanner error={form.failure.value} />
        <button type="submit" class="button button--primary button--block" disabled={form.busy.value}>
          {form.busy.value ? t("auth.forgot.busy") : t("auth.forgot.submit")}
        </button>
      </form>
      <p>
        <a href="/login">{t("auth.backToSignIn")}</a>
      </p>
    </AuthCard>
  );
}

/** The token of an invitation or reset link: it rides in the fragment, which no server sees. */
function linkToken(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, "")).get("token") ?? "";
}

/**
 * The page an invitation or reset link opens: choose a password (typed twice), then sign in
 * with it. Someone signed in here is signed out first: the link may be for another account.
 */
export function SetPasswordPage() {
  const { route } = useLocation();
  const token = useSignal(linkToken());
  const form = useForm("set-password", { password: "", repeat: "" });
  const onSubmit = form.submit(async ({ password, repeat }) => {
    if (password !== repeat) {
      form.errors.value = { repeat: t("auth.setPassword.differ") };
      return;
    }
    const { email } = await auth.setPassword({ token: token.value, password });
    if (status.value === "authenticated") await signOut();
    notice.value = { tone: "info", text: t("auth.setPassword.done", { email }) };
    route(`/login?email=${encodeURIComponent(email)}`);
  });

  if (!token.value) {
    return (
      <AuthCard title={t("auth.setPassword.incompleteTitle")} intro="">
        <p>{t("auth.setPassword.incomplete")}</p>
        <p>
          <a href="/forgot-password">{t("auth.setPassword.askNew")}</a>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("auth.setPassword.title")} intro={t("auth.setPassword.intro")}>
      <form class="form" onSubmit={onSubmit} noValidate>
        <Field
          {...form.field("password")}
          label={t("auth.setPassword.newPassword")}
          type="password"
          autoComplete="new-password"
          required
        />
        <Field
          {...form.field("repeat")}
          label={t("auth.setPassword.repeat")}
          type="password"
          autoComplete="new-password"
          required
        />
        <ErrorBanner error={form.failure.value} />
        <button type="submit" class="button button--primary button--block" disabled={form.busy.value}>
          {form.busy.value ? t("common.saving") : t("auth.setPassword.submit")}
        </button>
      </form>
    </AuthCard>
  );
}

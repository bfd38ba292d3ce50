import { useSignal } from "@preact/signals";
import { useLocation } from "preact-iso";
import { auth } from "../api/auth";
import { AuthCard } from "../components/auth-card";
import { ErrorBanner } from "../components/error-banner";
import { Field } from "../components/field";
import { useForm } from "../hooks/use-form";
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
      <AuthCard title="Check your mail" intro="">
        <p role="status">
          If an account uses <strong>{sentTo.value}</strong>, a link to choose a new password is on its way.
          It works once, within the hour.
        </p>
        <p>
          <a href="/login">Back to sign in</a>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Reset your password" intro="We will mail you a link to choose a new password.">
      <form class="form" onSubmit={onSubmit} noValidate>
        <Field {...form.field("email")} label="Email" type="email" autoComplete="username" required />
        <ErrorBanner error={form.failure.value} />
        <button type="submit" class="button button--primary button--block" disabled={form.busy.value}>
          {form.busy.value ? "Sending…" : "Send the link"}
        </button>
      </form>
      <p>
        <a href="/login">Back to sign in</a>
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
      form.errors.value = { repeat: "The two passwords differ: type the same one twice." };
      return;
    }
    const { email } = await auth.setPassword({ token: token.value, password });
    if (status.value === "authenticated") await signOut();
    notice.value = { tone: "info", text: `Your password is set. Sign in as ${email} with it.` };
    route(`/login?email=${encodeURIComponent(email)}`);
  });

  if (!token.value) {
    return (
      <AuthCard title="This link is not complete" intro="">
        <p>Open the link from the mail again, or ask for a new one.</p>
        <p>
          <a href="/forgot-password">Ask for a new link</a>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose your password" intro="At least 12 characters; a few unrelated words work well.">
      <form class="form" onSubmit={onSubmit} noValidate>
        <Field
          {...form.field("password")}
          label="New password"
          type="password"
          autoComplete="new-password"
          required
        />
        <Field
          {...form.field("repeat")}
          label="Repeat it"
          type="password"
          autoComplete="new-password"
          required
        />
        <ErrorBanner error={form.failure.value} />
        <button type="submit" class="button button--primary button--block" disabled={form.busy.value}>
          {form.busy.value ? "Saving…" : "Set password"}
        </button>
      </form>
    </AuthCard>
  );
}

import { auth } from "../api/auth";
import { ApiError } from "../api/errors";
import { AuthCard } from "../components/auth-card";
import { ErrorBanner } from "../components/error-banner";
import { Field } from "../components/field";
import { useForm } from "../hooks/use-form";
import { t } from "../i18n";
import { begin, boot } from "../session";

/** First run: create the owner account, then carry on signed in as that owner. */
export function SetupPage() {
  const form = useForm("setup", { name: "", email: "", password: "" });
  const onSubmit = form.submit(async (values) => {
    try {
      await begin(await auth.setup(values));
    } catch (error) {
      // Someone finished setup meanwhile: start over, which leads to the sign-in page.
      if (error instanceof ApiError && error.status === 409) await boot();
      throw error;
    }
  });

  return (
    <AuthCard title={t("auth.setup.title")} intro={t("auth.setup.intro")}>
      <form class="form" onSubmit={onSubmit}>
        <Field {...form.field("name")} label={t("auth.setup.yourName")} autoComplete="name" required />
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
          autoComplete="new-password"
          hint={t("auth.setup.passwordHint")}
          required
        />
        <ErrorBanner error={form.failure.value} />
        <button type="submit" class="button button--primary button--block" disabled={form.busy.value}>
          {form.busy.value ? t("auth.setup.busy") : t("auth.setup.submit")}
        </button>
      </form>
    </AuthCard>
  );
}

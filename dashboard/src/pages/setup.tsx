import { auth } from "../api/auth";
import { ApiError } from "../api/errors";
import { AuthCard } from "../components/auth-card";
import { ErrorBanner } from "../components/error-banner";
import { Field } from "../components/field";
import { useForm } from "../hooks/use-form";
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
    <AuthCard
      title="Set up Edgepost"
      intro="Create the owner account. The owner can invite the rest of the team and manage every setting."
    >
      <form class="form" onSubmit={onSubmit}>
        <Field {...form.field("name")} label="Your name" autoComplete="name" required />
        <Field {...form.field("email")} label="Email" type="email" autoComplete="username" required />
        <Field
          {...form.field("password")}
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters. A long passphrase is best."
          required
        />
        <ErrorBanner error={form.failure.value} />
        <button type="submit" class="button button--primary button--block" disabled={form.busy.value}>
          {form.busy.value ? "Creating…" : "Create owner account"}
        </button>
      </form>
    </AuthCard>
  );
}

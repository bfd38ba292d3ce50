import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { LocationProvider, Route, Router, useLocation } from "preact-iso";
import { ComingSoon } from "./components/coming-soon";
import { ErrorBanner } from "./components/error-banner";
import { Layout } from "./components/layout";
import { Redirect } from "./components/redirect";
import { ToastProvider } from "./components/toast";
import { t } from "./i18n";
import { NAV } from "./nav";
import { AnalyticsPage, CampaignReportPage } from "./pages/analytics";
import { ApiKeysPage } from "./pages/api-keys";
import { AuditLogPage } from "./pages/audit-log";
import { CampaignNewPage, CampaignPage, CampaignsPage } from "./pages/campaigns";
import { DomainsPage } from "./pages/domains";
import { FieldsPage } from "./pages/fields";
import { ImagesPage } from "./pages/images";
import { ImportPage, ImportsPage } from "./pages/imports";
import { ListsPage } from "./pages/lists";
import { SignupFormPage } from "./pages/lists/signup-form";
import { LoginPage } from "./pages/login";
import { NotFoundPage } from "./pages/not-found";
import { OverviewPage } from "./pages/overview";
import { ForgotPasswordPage, SetPasswordPage } from "./pages/password";
import { RelaysPage } from "./pages/relays";
import { SegmentPage, SegmentsPage } from "./pages/segments";
import { SettingsPage } from "./pages/settings";
import { SetupPage } from "./pages/setup";
import { SubscriberPage, SubscribersPage } from "./pages/subscribers";
import { SuppressionsPage } from "./pages/suppressions";
import { TemplatePage, TemplatesPage } from "./pages/templates";
import { UsersPage } from "./pages/users";
import { WebhooksPage } from "./pages/webhooks";
import { InstancePage, InstancesPage, WorkflowPage, WorkflowsPage } from "./pages/workflows";
import { boot, notice, status } from "./session";

export function App() {
  return (
    <LocationProvider>
      <ToastProvider>
        <Root />
      </ToastProvider>
    </LocationProvider>
  );
}

/** Boots the session, then shows the screens that fit its state: setup, sign-in or the app. */
function Root() {
  const failure = useSignal<unknown>(null);
  const start = () => {
    failure.value = null;
    boot().catch((error: unknown) => {
      failure.value = error;
    });
  };
  useEffect(start, []);

  if (failure.value) {
    return (
      <Splash>
        <ErrorBanner error={failure.value} onRetry={start} />
      </Splash>
    );
  }
  switch (status.value) {
    case "booting":
      return <Splash>{t("common.loading")}</Splash>;
    case "needs-setup":
      return (
        <Router>
          <Route path="/setup" component={SetupPage} />
          <Route default component={ToSetup} />
        </Router>
      );
    case "anonymous":
      return (
        <Router>
          <Route path="/login" component={LoginPage} />
          <Route path="/forgot-password" component={ForgotPasswordPage} />
          <Route path="/set-password" component={SetPasswordPage} />
          <Route default component={ToLogin} />
        </Router>
      );
    case "authenticated":
      // An invitation or reset link opened while signed in: its page, outside the app's frame.
      if (window.location.pathname === "/set-password") return <SetPasswordPage />;
      return (
        <Layout>
          <Router>
            <Route path="/" component={OverviewPage} />
            {upcoming.map((page) => (
              <Route key={page.path} path={page.path} component={page.component} />
            ))}
            <Route path="/subscribers" component={SubscribersPage} />
            <Route path="/subscribers/:id" component={SubscriberPage} />
            <Route path="/lists" component={ListsPage} />
            <Route path="/lists/:id/signup" component={SignupFormPage} />
            <Route path="/segments" component={SegmentsPage} />
            <Route path="/segments/:id" component={SegmentPage} />
            <Route path="/imports" component={ImportsPage} />
            <Route path="/imports/:id" component={ImportPage} />
            <Route path="/fields" component={FieldsPage} />
            <Route path="/suppressions" component={SuppressionsPage} />
            <Route path="/templates" component={TemplatesPage} />
            <Route path="/templates/:id" component={TemplatePage} />
            <Route path="/images" component={ImagesPage} />
            <Route path="/campaigns" component={CampaignsPage} />
            <Route path="/campaigns/new" component={CampaignNewPage} />
            <Route path="/campaigns/:id" component={CampaignPage} />
            <Route path="/workflows" component={WorkflowsPage} />
            <Route path="/workflows/:id" component={WorkflowPage} />
            <Route path="/workflows/:id/instances" component={InstancesPage} />
            <Route path="/workflows/:id/instances/:instanceId" component={InstancePage} />
            <Route path="/automations" component={ToWorkflows} />
            <Route path="/analytics" component={AnalyticsPage} />
            <Route path="/analytics/campaigns/:id" component={CampaignReportPage} />
            <Route path="/relays" component={RelaysPage} />
            <Route path="/domains" component={DomainsPage} />
            <Route path="/settings/general" component={SettingsPage} />
            <Route path="/settings/users" component={UsersPage} />
            <Route path="/settings/api-keys" component={ApiKeysPage} />
            <Route path="/settings/webhooks" component={WebhooksPage} />
            <Route path="/settings/audit-log" component={AuditLogPage} />
            <Route path="/login" component={AfterSignIn} />
            <Route path="/setup" component={AfterSignIn} />
            <Route default component={NotFoundPage} />
          </Router>
        </Layout>
      );
  }
}

/** Areas not built yet, each a ComingSoon page made once so its identity is stable across renders. */
const upcoming = NAV.flatMap((group) => group.items).flatMap(({ path, label, soon }) =>
  soon ? [{ path, component: () => <ComingSoon title={t(label)} description={t(soon)} /> }] : [],
);

/** The area's first address (kept for bookmarks made while it was announced). */
function ToWorkflows() {
  return <Redirect to="/workflows" />;
}

function ToSetup() {
  return <Redirect to="/setup" />;
}

/** Signed out: go to sign-in, remembering the page unless the user chose to sign out. */
function ToLogin() {
  const { url } = useLocation();
  const remember = url !== "/" && notice.value?.tone !== "info";
  return <Redirect to={remember ? `/login?next=${encodeURIComponent(url)}` : "/login"} />;
}

/** Just signed in (or set up) on /login or /setup: continue to `next` if it is a local path. */
function AfterSignIn() {
  const { query } = useLocation();
  const next = query.next ?? "/";
  return <Redirect to={next.startsWith("/") && !next.startsWith("//") ? next : "/"} />;
}

function Splash({ children }: { children: ComponentChildren }) {
  return (
    <main class="auth">
      <div class="auth__card card splash" aria-busy="true">
        {children}
      </div>
    </main>
  );
}

import { analytics, recentCampaigns } from "../api/analytics";
import { ErrorBanner } from "../components/error-banner";
import { Page } from "../components/page";
import { useResource } from "../hooks/use-resource";
import { canEdit, canManage, me } from "../session";
import { campaignColumns } from "./analytics/campaigns-table";
import { EngagementChart } from "./analytics/daily-charts";
import { homeKpis, KpiGrid } from "./analytics/kpis";
import { SimpleTable } from "./analytics/parts";
import "./analytics/analytics.css";

/**
 * The landing page: the last 30 days at a glance (figures and a chart of opens and clicks), the
 * latest campaigns with their rates, and a getting-started checklist until something is sent.
 */
export function OverviewPage() {
  const name = me.value?.user?.name;
  const overview = useResource(() => analytics.overview({}));
  const recent = useResource(() => recentCampaigns(5));
  const o = overview.data.value;
  const campaigns = recent.data.value;
  const fresh = o !== undefined && campaigns !== undefined && campaigns.length === 0 && o.sent === 0;

  return (
    <Page title="Overview" intro={name ? `Welcome, ${name}. Here are the last 30 days.` : "Welcome."}>
      {fresh && <GettingStarted />}
      <section class="analytics-range" aria-labelledby="overview-numbers" aria-busy={overview.loading.value}>
        <h2 id="overview-numbers">Last 30 days</h2>
        <ErrorBanner error={overview.error.value} onRetry={overview.reload} />
        {o ? (
          <>
            <KpiGrid items={homeKpis(o)} />
            <EngagementChart overview={o} headingId="overview-engagement" />
          </>
        ) : (
          overview.loading.value && <p class="muted">Loading…</p>
        )}
      </section>
      <section class="card" aria-labelledby="overview-recent" aria-busy={recent.loading.value}>
        <div class="report-section__head">
          <h2 id="overview-recent">Recent campaigns</h2>
          <a href="/analytics">All analytics</a>
        </div>
        <ErrorBanner error={recent.error.value} onRetry={recent.reload} />
        {campaigns && campaigns.length > 0 && (
          <SimpleTable
            label="Recent campaigns"
            columns={campaignColumns()}
            rows={campaigns}
            rowKey={({ campaign }) => campaign.id}
          />
        )}
        {campaigns?.length === 0 && <p class="report-empty">No campaign has been sent yet.</p>}
        {!campaigns && recent.loading.value && <p class="muted">Loading…</p>}
      </section>
    </Page>
  );
}

/** First steps on a fresh install, shown until the first campaign goes out. */
function GettingStarted() {
  return (
    <section class="card" aria-labelledby="overview-start">
      <h2 id="overview-start">Getting started</h2>
      <ol class="checklist">
        {canManage.value && (
          <>
            <li>
              <a href="/relays">Add an SMTP relay</a> and <a href="/domains">a sending domain</a> so mail can
              go out signed.
            </li>
            <li>
              <a href="/settings/users">Invite your team</a> and give each person the role they need.
            </li>
          </>
        )}
        {canEdit.value && (
          <>
            <li>
              <a href="/lists">Create a list</a>, then <a href="/imports">import subscribers</a> or{" "}
              <a href="/subscribers">add them one by one</a>.
            </li>
            <li>
              <a href="/templates">Design a template</a> for your messages.
            </li>
            <li>
              <a href="/campaigns/new">Create a campaign</a> and send it: its report appears here.
            </li>
          </>
        )}
        {canManage.value && (
          <li>
            <a href="/settings/api-keys">Create an API key</a> for scripts and integrations.
          </li>
        )}
        <li>
          Read the{" "}
          <a href="/api/docs" target="_blank" rel="noopener">
            API reference
          </a>
          : everything the dashboard does goes through the same API.
        </li>
      </ol>
    </section>
  );
}

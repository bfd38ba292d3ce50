import { analytics, recentCampaigns } from "../api/analytics";
import { ErrorBanner } from "../components/error-banner";
import { Page } from "../components/page";
import { useResource } from "../hooks/use-resource";
import { t } from "../i18n";
import { Trans } from "../i18n/trans";
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
    <Page
      title={t("overview.title")}
      intro={name ? t("overview.welcomeName", { name }) : t("overview.welcome")}
    >
      {fresh && <GettingStarted />}
      <section class="analytics-range" aria-labelledby="overview-numbers" aria-busy={overview.loading.value}>
        <h2 id="overview-numbers">{t("overview.last30")}</h2>
        <ErrorBanner error={overview.error.value} onRetry={overview.reload} />
        {o ? (
          <>
            <KpiGrid items={homeKpis(o)} />
            <EngagementChart overview={o} headingId="overview-engagement" />
          </>
        ) : (
          overview.loading.value && <p class="muted">{t("common.loading")}</p>
        )}
      </section>
      <section class="card" aria-labelledby="overview-recent" aria-busy={recent.loading.value}>
        <div class="report-section__head">
          <h2 id="overview-recent">{t("overview.recent")}</h2>
          <a href="/analytics">{t("overview.allAnalytics")}</a>
        </div>
        <ErrorBanner error={recent.error.value} onRetry={recent.reload} />
        {campaigns && campaigns.length > 0 && (
          <SimpleTable
            label={t("overview.recent")}
            columns={campaignColumns()}
            rows={campaigns}
            rowKey={({ campaign }) => campaign.id}
          />
        )}
        {campaigns?.length === 0 && <p class="report-empty">{t("overview.noneSent")}</p>}
        {!campaigns && recent.loading.value && <p class="muted">{t("common.loading")}</p>}
      </section>
    </Page>
  );
}

/** First steps on a fresh install, shown until the first campaign goes out. */
function GettingStarted() {
  return (
    <section class="card" aria-labelledby="overview-start">
      <h2 id="overview-start">{t("overview.start.title")}</h2>
      <ol class="checklist">
        {canManage.value && (
          <>
            <li>
              <Trans
                k="overview.start.relay"
                parts={[(s) => <a href="/relays">{s}</a>, (s) => <a href="/domains">{s}</a>]}
              />
            </li>
            <li>
              <Trans k="overview.start.team" parts={[(s) => <a href="/settings/users">{s}</a>]} />
            </li>
          </>
        )}
        {canEdit.value && (
          <>
            <li>
              <Trans
                k="overview.start.subscribers"
                parts={[
                  (s) => <a href="/lists">{s}</a>,
                  (s) => <a href="/imports">{s}</a>,
                  (s) => <a href="/subscribers">{s}</a>,
                ]}
              />
            </li>
            <li>
              <Trans k="overview.start.template" parts={[(s) => <a href="/templates">{s}</a>]} />
            </li>
            <li>
              <Trans k="overview.start.campaign" parts={[(s) => <a href="/campaigns/new">{s}</a>]} />
            </li>
          </>
        )}
        {canManage.value && (
          <li>
            <Trans k="overview.start.apiKey" parts={[(s) => <a href="/settings/api-keys">{s}</a>]} />
          </li>
        )}
        <li>
          <Trans
            k="overview.start.apiDocs"
            parts={[
              (s) => (
                <a href="/api/docs" target="_blank" rel="noopener">
                  {s}
                </a>
              ),
            ]}
          />
        </li>
      </ol>
    </section>
  );
}

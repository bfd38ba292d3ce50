import { useSignal } from "@preact/signals";
import { useRoute } from "preact-iso";
import { analytics, type ReportCampaign } from "../../../api/analytics";
import { ApiError } from "../../../api/errors";
import { ErrorBanner } from "../../../components/error-banner";
import { Page } from "../../../components/page";
import { formatDateTime } from "../../../format";
import { useResource } from "../../../hooks/use-resource";
import { t } from "../../../i18n";
import { CampaignStatusBadge } from "../parts";
import { BouncesSection } from "./bounces";
import { DomainsSection } from "./domains";
import { Headline } from "./headline";
import { LinksSection } from "./links";
import { Outcome } from "./outcome";
import { TimelineSection } from "./timeline";
import { VariantsSection } from "./variants";
import "../analytics.css";

/**
 * One campaign's report: headline figures with people and machine opens apart, the hourly
 * timeline, A/B variants, links, recipient domains and bounce reasons.
 */
export function CampaignReportPage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const campaign = useResource(() => analytics.campaign(id), id);
  const stats = useResource(() => analytics.stats(id), id);
  const links = useResource(() => analytics.links(id), id);
  const domains = useResource(() => analytics.domains(id), id);
  const bounces = useResource(() => analytics.bounces(id), id);
  /** Bumped by "Refresh" so the timeline (which keeps its own request) reloads too. */
  const version = useSignal(0);
  const current = campaign.data.value;

  if (!current) {
    const missing = campaign.error.value instanceof ApiError && campaign.error.value.status === 404;
    return (
      <Page title={t(missing ? "analytics.report.notFound" : "analytics.report.title")}>
        <BackLink />
        {missing ? (
          <div class="card notice" role="note">
            <p>{t("analytics.report.noSuchCampaign")}</p>
          </div>
        ) : (
          <div aria-busy={campaign.loading.value}>
            <ErrorBanner error={campaign.error.value} onRetry={campaign.reload} />
            {campaign.loading.value && <p class="muted">{t("common.loading")}</p>}
          </div>
        )}
      </Page>
    );
  }

  const refresh = () => {
    for (const resource of [campaign, stats, links, domains, bounces]) resource.reload();
    version.value++;
  };
  const unsent = current.status === "draft" || current.status === "scheduled";

  return (
    <Page
      title={current.name}
      intro={
        <>
          <CampaignStatusBadge status={current.status} /> {when(current)}
        </>
      }
      actions={
        <>
          <button type="button" class="button" onClick={refresh}>
            {t("analytics.report.refresh")}
          </button>
          <a class="button" href={`/campaigns/${encodeURIComponent(id)}`}>
            {t("analytics.report.details")}
          </a>
        </>
      }
    >
      <BackLink />
      {unsent && (
        <div class="card notice" role="note">
          <p>{t("analytics.report.notSentYet")}</p>
        </div>
      )}
      <Outcome campaign={current} stats={stats.data.value} />
      <Headline stats={stats} />
      <TimelineSection campaign={current} version={version.value} />
      {current.variants.length > 0 && <VariantsSection campaign={current} stats={stats} />}
      <LinksSection links={links} />
      <DomainsSection domains={domains} />
      <BouncesSection bounces={bounces} />
    </Page>
  );
}

function BackLink() {
  return (
    <p class="back-link">
      <a href="/analytics">{t("analytics.report.back")}</a>
    </p>
  );
}

/** When it was sent, as far as that is known. */
function when(c: ReportCampaign): string {
  if (c.finishedAt)
    return t("analytics.report.sentFinished", {
      date: formatDateTime(c.startedAt),
      finished: formatDateTime(c.finishedAt),
    });
  if (c.startedAt) return t("campaigns.when.started", { date: formatDateTime(c.startedAt) });
  if (c.sendAt) return t("campaigns.when.scheduledFor", { date: formatDateTime(c.sendAt) });
  return t("analytics.report.unsent");
}

import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { t } from "../../i18n";
import { canEdit } from "../../session";
import { CampaignBuilder } from "./builder";
import { useLookups } from "./lookups";
import { CampaignOverview } from "./overview";

/** `/campaigns/new`: the builder for a new campaign (editors and up). */
export function CampaignNewPage() {
  const lookups = useLookups();
  if (!canEdit.value) {
    return (
      <Page title={t("campaigns.new")}>
        <p class="card notice" role="note">
          {t("campaigns.builder.cannotCreate")}
        </p>
      </Page>
    );
  }
  const data = lookups.data.value;
  if (!data)
    return <Loading title={t("campaigns.new")} error={lookups.error.value} onRetry={lookups.reload} />;
  return <CampaignBuilder campaign={null} lookups={data} onChanged={() => undefined} />;
}

/** `/campaigns/:id`: a draft opens in the builder; anything further along on its overview. */
export function CampaignPage({ id = "" }: { id?: string }) {
  const campaign = useSignal<Campaign | null>(null);
  const failure = useSignal<unknown>(null);
  const load = () => {
    failure.value = null;
    campaignsApi
      .get(id)
      .then((found) => {
        campaign.value = found;
      })
      .catch((caught: unknown) => {
        failure.value = caught;
      });
  };
  useEffect(() => {
    campaign.value = null;
    load();
  }, [id]);

  const current = campaign.value;
  if (!current) return <Loading title={t("campaigns.campaign")} error={failure.value} onRetry={load} />;
  const changed = (next: Campaign) => {
    campaign.value = next;
  };
  return current.status === "draft" ? (
    <DraftPage key={current.id} campaign={current} onChanged={changed} />
  ) : (
    <CampaignOverview key={current.id} campaign={current} onChanged={changed} />
  );
}

function DraftPage({ campaign, onChanged }: { campaign: Campaign; onChanged: (campaign: Campaign) => void }) {
  const lookups = useLookups();
  const data = lookups.data.value;
  if (!data) return <Loading title={campaign.name} error={lookups.error.value} onRetry={lookups.reload} />;
  return <CampaignBuilder campaign={campaign} lookups={data} onChanged={onChanged} />;
}

function Loading({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => void }) {
  return (
    <Page title={title}>
      <ErrorBanner error={error} onRetry={onRetry} />
      {!error && (
        <p class="muted" aria-busy="true">
          {t("common.loading")}
        </p>
      )}
    </Page>
  );
}

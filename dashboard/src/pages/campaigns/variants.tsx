import type { Campaign, CampaignStats, VariantStats } from "../../api/campaigns";
import { formatDateTime, formatNumber, formatPercent } from "../../format";
import { t } from "../../i18n";
import { percent } from "./engagement";

const rate = (n: number, d: number) => (d > 0 ? n / d : 0);

/** The A/B test: each variant's numbers, then the winner and why, or when the test ends. */
export function VariantResults({ campaign, stats }: { campaign: Campaign; stats: CampaignStats | null }) {
  const ab = campaign.abTest;
  const byId = new Map<string, VariantStats>((stats?.variants ?? []).map((v) => [v.id, v]));
  const winner = campaign.variants.find((variant) => variant.isWinner);
  const metric = t(ab?.metric === "opens" ? "campaigns.ab.metricOpens" : "campaigns.ab.metricClicks");
  return (
    <section class="card" aria-labelledby="variants-title">
      <h2 id="variants-title">{t("campaigns.ab.title")}</h2>
      {ab && (
        <p class="muted">
          {t("campaigns.variants.intro", {
            percent: formatPercent(ab.testPercent / 100, 2),
            variants: campaign.variants.length,
            metric,
            minutes: formatNumber(ab.waitMinutes),
          })}
        </p>
      )}
      {campaign.status === "testing" && campaign.testEndsAt && (
        <p class="banner banner--info" data-testid="test-ends">
          {t("campaigns.variants.testing", { date: formatDateTime(campaign.testEndsAt) })}
        </p>
      )}
      {winner && (
        <p class="banner banner--info" data-testid="ab-winner">
          <span>
            <strong>{t("campaigns.variants.winner", { name: winner.name })}</strong>{" "}
            {campaign.winnerReason ?? ""}
          </span>
        </p>
      )}
      <div class="table-wrap table-wrap--flat">
        <table class="table" aria-label={t("campaigns.variants.label")}>
          <thead>
            <tr>
              <th scope="col">{t("campaigns.variants.variant")}</th>
              <th scope="col">{t("campaigns.variants.subject")}</th>
              <th scope="col" class="numeric">
                {t("campaigns.variants.recipients")}
              </th>
              <th scope="col" class="numeric">
                {t("campaigns.variants.sent")}
              </th>
              <th scope="col" class="numeric">
                {t("campaigns.engagement.uniqueOpens")}
              </th>
              <th scope="col" class="numeric">
                {t("campaigns.engagement.uniqueClicks")}
              </th>
            </tr>
          </thead>
          <tbody>
            {campaign.variants.map((variant) => {
              const s = byId.get(variant.id);
              return (
                <tr key={variant.id}>
                  <td>
                    {variant.name}{" "}
                    {variant.isWinner && (
                      <span class="badge badge--ok">{t("campaigns.variants.winnerBadge")}</span>
                    )}
                  </td>
                  <td>
                    {variant.subject ?? <span class="muted">{t("campaigns.variants.templateSubject")}</span>}
                  </td>
                  <td class="numeric">{s ? formatNumber(s.audience) : "—"}</td>
                  <td class="numeric">{s ? formatNumber(s.sent) : "—"}</td>
                  <td class="numeric">
                    {s ? `${formatNumber(s.uniqueOpens)} (${percent(rate(s.uniqueOpens, s.sent))})` : "—"}
                  </td>
                  <td class="numeric">
                    {s ? `${formatNumber(s.uniqueClicks)} (${percent(rate(s.uniqueClicks, s.sent))})` : "—"}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

import type { Campaign, CampaignStats, VariantStats } from "../../api/campaigns";
import { formatDateTime } from "../../format";
import { percent } from "./engagement";

const rate = (n: number, d: number) => (d > 0 ? n / d : 0);

/** The A/B test: each variant's numbers, then the winner and why, or when the test ends. */
export function VariantResults({ campaign, stats }: { campaign: Campaign; stats: CampaignStats | null }) {
  const ab = campaign.abTest;
  const byId = new Map<string, VariantStats>((stats?.variants ?? []).map((v) => [v.id, v]));
  const winner = campaign.variants.find((variant) => variant.isWinner);
  const metric = ab?.metric === "opens" ? "unique opens" : "unique clicks";
  return (
    <section class="card" aria-labelledby="variants-title">
      <h2 id="variants-title">A/B test</h2>
      {ab && (
        <p class="muted">
          {ab.testPercent}% of the audience split between {campaign.variants.length} variants; the one with
          the most {metric} after {ab.waitMinutes} minutes goes to the rest.
        </p>
      )}
      {campaign.status === "testing" && campaign.testEndsAt && (
        <p class="banner banner--info" data-testid="test-ends">
          Testing: the winner is picked at {formatDateTime(campaign.testEndsAt)}.
        </p>
      )}
      {winner && (
        <p class="banner banner--info" data-testid="ab-winner">
          <span>
            <strong>Winner: {winner.name}.</strong> {campaign.winnerReason ?? ""}
          </span>
        </p>
      )}
      <div class="table-wrap table-wrap--flat">
        <table class="table" aria-label="Variants">
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">Subject</th>
              <th scope="col" class="numeric">
                Recipients
              </th>
              <th scope="col" class="numeric">
                Sent
              </th>
              <th scope="col" class="numeric">
                Unique opens
              </th>
              <th scope="col" class="numeric">
                Unique clicks
              </th>
            </tr>
          </thead>
          <tbody>
            {campaign.variants.map((variant) => {
              const s = byId.get(variant.id);
              return (
                <tr key={variant.id}>
                  <td>
                    {variant.name} {variant.isWinner && <span class="badge badge--ok">winner</span>}
                  </td>
                  <td>{variant.subject ?? <span class="muted">The template's</span>}</td>
                  <td class="numeric">{s ? s.audience.toLocaleString() : "—"}</td>
                  <td class="numeric">{s ? s.sent.toLocaleString() : "—"}</td>
                  <td class="numeric">
                    {s ? `${s.uniqueOpens.toLocaleString()} (${percent(rate(s.uniqueOpens, s.sent))})` : "—"}
                  </td>
                  <td class="numeric">
                    {s
                      ? `${s.uniqueClicks.toLocaleString()} (${percent(rate(s.uniqueClicks, s.sent))})`
                      : "—"}
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

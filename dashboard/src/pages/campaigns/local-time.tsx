import type { Campaign, CampaignStats, ZoneProgress } from "../../api/campaigns";
import { dateTimeFormat, formatNumber } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { formatInZone } from "./zoned-format";
import { zonedToInstant } from "./zoned-time";

/** The first zones on Earth to reach a wall-clock time (UTC+14) and the last (UTC-12). */
const FIRST_ZONE = "Etc/GMT-14";
const LAST_ZONE = "Etc/GMT+12";

/** The schedule dialog's summary for "each subscriber's time zone": when it starts and ends. */
export function LocalTimeSummary({ date, time }: { date: string; time: string }) {
  const first = zonedToInstant(date, time, FIRST_ZONE);
  const last = zonedToInstant(date, time, LAST_ZONE);
  if (!first || !last) return <p class="muted">{t("campaigns.schedule.chooseDateTime")}</p>;
  const lastPassed = last.epochMs < Date.now();
  const firstPassed = first.epochMs < Date.now();
  return (
    <>
      <p data-testid="local-time-summary">
        <Trans
          k="campaigns.localTime.summary"
          values={{ time, day: formatDay(date) }}
          parts={[(text) => <strong>{text}</strong>, (text) => <strong>{text}</strong>]}
        />
      </p>
      <p class="muted">
        {t("campaigns.localTime.span", {
          first: formatInZone(first.epochMs),
          last: formatInZone(last.epochMs),
        })}
      </p>
      {lastPassed ? (
        <p class="field__error">{t("campaigns.localTime.passed")}</p>
      ) : (
        firstPassed && <p class="field__hint">{t("campaigns.localTime.somePassed")}</p>
      )}
    </>
  );
}

function formatDay(date: string): string {
  return dateTimeFormat({ dateStyle: "full", timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`));
}

/** The scheduled card's line for a local-time campaign. */
export function LocalTimeScheduled({ campaign }: { campaign: Campaign }) {
  const at = Date.parse(campaign.sendAt ?? "");
  const zone = campaign.timezone ?? undefined;
  const wall = dateTimeFormat({ timeStyle: "short", dateStyle: "full", timeZone: zone });
  return (
    <p data-testid="scheduled-local-time">
      <Trans
        k="campaigns.localTime.scheduled"
        values={{ at: wall.format(new Date(at)) }}
        parts={[(text) => <strong>{text}</strong>]}
      />
    </p>
  );
}

/** A zone's status in words. */
const zoneStatus = (status: ZoneProgress["status"]) => t(`campaigns.zones.status.${status}`);

/** A local-time campaign's progress per time zone, in release order, while sending and after. */
export function ZoneProgressCard({ stats }: { stats: CampaignStats | null }) {
  const zones = stats?.zones;
  if (!zones || zones.length === 0) return null;
  return (
    <section class="card" aria-labelledby="zones-title">
      <h2 id="zones-title">{t("campaigns.zones.title")}</h2>
      <p class="muted">{t("campaigns.zones.intro")}</p>
      <div class="table-wrap table-wrap--flat">
        <table class="table" aria-label={t("campaigns.zones.title")} data-testid="zone-progress">
          <thead>
            <tr>
              <th scope="col">{t("common.timeZone")}</th>
              <th scope="col">{t("campaigns.zones.localTime")}</th>
              <th scope="col">{t("campaigns.zones.yourTime")}</th>
              <th scope="col" class="numeric">
                {t("campaigns.zones.released")}
              </th>
              <th scope="col" class="numeric">
                {t("campaigns.zones.sent")}
              </th>
              <th scope="col">{t("common.status")}</th>
            </tr>
          </thead>
          <tbody>
            {zones.map((z) => (
              <tr key={z.timezone} data-zone={z.timezone}>
                <td>{z.timezone}</td>
                <td>{z.localReleaseAt}</td>
                <td>{formatInZone(Date.parse(z.releaseAt), undefined, "short")}</td>
                <td class="numeric">
                  {t("campaigns.zones.of", { n: formatNumber(z.released), total: formatNumber(z.audience) })}
                </td>
                <td class="numeric" data-testid="zone-sent">
                  {t("campaigns.zones.of", { n: formatNumber(z.sent), total: formatNumber(z.audience) })}
                  {z.notSent > 0 && (
                    <span class="muted"> {t("campaigns.zones.notSent", { n: formatNumber(z.notSent) })}</span>
                  )}
                </td>
                <td>
                  <span class={`badge${z.status === "done" ? " badge--ok" : ""}`} data-testid="zone-status">
                    {zoneStatus(z.status)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

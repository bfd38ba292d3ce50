import type { Campaign, CampaignStats, ZoneProgress } from "../../api/campaigns";
import { formatInZone, zonedToInstant } from "./zoned-time";

/** The first zones on Earth to reach a wall-clock time (UTC+14) and the last (UTC-12). */
const FIRST_ZONE = "Etc/GMT-14";
const LAST_ZONE = "Etc/GMT+12";

/** The schedule dialog's summary for "each subscriber's time zone": when it starts and ends. */
export function LocalTimeSummary({ date, time }: { date: string; time: string }) {
  const first = zonedToInstant(date, time, FIRST_ZONE);
  const last = zonedToInstant(date, time, LAST_ZONE);
  if (!first || !last) return <p class="muted">Choose a date and a time.</p>;
  const lastPassed = last.epochMs < Date.now();
  const firstPassed = first.epochMs < Date.now();
  return (
    <>
      <p data-testid="local-time-summary">
        Each subscriber gets it at <strong>{time}</strong> on <strong>{formatDay(date)}</strong> on their own
        clocks.
      </p>
      <p class="muted">
        The first time zones (UTC+14) get there {formatInZone(first.epochMs)} your time, the last (UTC−12){" "}
        {formatInZone(last.epochMs)}: up to 26 hours. The audience is fixed when the first zone is due.
      </p>
      {lastPassed ? (
        <p class="field__error">This time has passed everywhere: choose a later one, or send now.</p>
      ) : (
        firstPassed && (
          <p class="field__hint">Zones where this time has already passed get it as soon as it starts.</p>
        )
      )}
    </>
  );
}

function formatDay(date: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeZone: "UTC" }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/** The scheduled card's line for a local-time campaign. */
export function LocalTimeScheduled({ campaign }: { campaign: Campaign }) {
  const at = Date.parse(campaign.sendAt ?? "");
  const zone = campaign.timezone ?? undefined;
  const wall = new Intl.DateTimeFormat(undefined, { timeStyle: "short", dateStyle: "full", timeZone: zone });
  return (
    <p data-testid="scheduled-local-time">
      Delivered at <strong>{wall.format(new Date(at))}</strong> in each subscriber's own time zone, over up to
      26 hours.
    </p>
  );
}

const STATUS: Record<ZoneProgress["status"], string> = {
  waiting: "Waiting",
  sending: "Sending",
  done: "Done",
};

/** A local-time campaign's progress per time zone, in release order, while sending and after. */
export function ZoneProgressCard({ stats }: { stats: CampaignStats | null }) {
  const zones = stats?.zones;
  if (!zones || zones.length === 0) return null;
  return (
    <section class="card" aria-labelledby="zones-title">
      <h2 id="zones-title">Time zones</h2>
      <p class="muted">Each zone is released when its clocks show the campaign's time.</p>
      <div class="table-wrap table-wrap--flat">
        <table class="table" aria-label="Time zones" data-testid="zone-progress">
          <thead>
            <tr>
              <th scope="col">Time zone</th>
              <th scope="col">Local time</th>
              <th scope="col">Your time</th>
              <th scope="col" class="numeric">
                Released
              </th>
              <th scope="col" class="numeric">
                Sent
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {zones.map((z) => (
              <tr key={z.timezone} data-zone={z.timezone}>
                <td>{z.timezone}</td>
                <td>{z.localReleaseAt}</td>
                <td>{formatInZone(Date.parse(z.releaseAt), undefined, "short")}</td>
                <td class="numeric">
                  {z.released.toLocaleString()} of {z.audience.toLocaleString()}
                </td>
                <td class="numeric" data-testid="zone-sent">
                  {z.sent.toLocaleString()} of {z.audience.toLocaleString()}
                  {z.notSent > 0 && <span class="muted"> ({z.notSent.toLocaleString()} not sent)</span>}
                </td>
                <td>
                  <span class={`badge${z.status === "done" ? " badge--ok" : ""}`} data-testid="zone-status">
                    {STATUS[z.status]}
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

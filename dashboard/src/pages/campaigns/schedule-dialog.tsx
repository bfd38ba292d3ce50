import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { fieldErrors } from "../../api/errors";
import { Checkbox } from "../../components/checkbox-group";
import { Dialog } from "../../components/dialog";
import { ErrorBanner } from "../../components/error-banner";
import { TimezonePicker } from "../../components/timezone-picker";
import { LocalTimeSummary } from "./local-time";
import { browserTimeZone, formatInZone, formatOffset, wallInputs, zonedToInstant } from "./zoned-time";

interface ScheduleDialogProps {
  campaign: Campaign;
  onClose: () => void;
  onScheduled: (campaign: Campaign) => void;
}

/** Starts a quarter of an hour on from an hour from now: a time that is surely in the future. */
function defaultStart(zone: string) {
  const quarter = 15 * 60_000;
  return wallInputs(Math.ceil((Date.now() + 3_600_000) / quarter) * quarter, zone);
}

/**
 * "Schedule": a date and a time on the clocks of a chosen time zone, sent as an ISO instant with
 * that zone's offset on that day; the instant is shown back in the zone and in the viewer's time.
 */
export function ScheduleDialog({ campaign, onClose, onScheduled }: ScheduleDialogProps) {
  const own = browserTimeZone();
  const zone = useSignal(campaign.timezone ?? own);
  const start = campaign.sendAt
    ? wallInputs(Date.parse(campaign.sendAt), zone.value)
    : defaultStart(zone.value);
  const date = useSignal(start.date);
  const time = useSignal(start.time);
  const errors = useSignal<Record<string, string>>({});
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);
  const localTime = useSignal(campaign.localTime && !campaign.abTest);

  const instant = zonedToInstant(date.value, time.value, zone.value);
  const past = instant !== null && instant.epochMs < Date.now();

  const submit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    errors.value = {};
    failure.value = null;
    if (!instant) {
      errors.value = { sendAt: "Enter a valid date and time." };
      return;
    }
    busy.value = true;
    try {
      const body = {
        sendAt: instant.iso,
        timezone: zone.value,
        ...(localTime.value ? { localTime: true } : {}),
      };
      onScheduled(await campaignsApi.schedule(campaign.id, body));
      onClose();
    } catch (caught) {
      const byField = fieldErrors(caught);
      errors.value = byField;
      if (Object.keys(byField).length === 0) failure.value = caught;
    } finally {
      busy.value = false;
    }
  };

  return (
    <Dialog title="Schedule the campaign" onClose={onClose}>
      <form class="form" aria-label="Schedule" onSubmit={submit}>
        <div class="schedule-inputs">
          <div class={errors.value.sendAt ? "field field--invalid" : "field"}>
            <label for="schedule-date">Date</label>
            <input
              id="schedule-date"
              type="date"
              required
              value={date.value}
              aria-describedby={errors.value.sendAt ? "schedule-error" : undefined}
              onInput={(event) => (date.value = event.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="schedule-time">Time</label>
            <input
              id="schedule-time"
              type="time"
              required
              value={time.value}
              onInput={(event) => (time.value = event.currentTarget.value)}
            />
          </div>
        </div>
        {errors.value.sendAt && (
          <p class="field__error" id="schedule-error">
            {errors.value.sendAt}
          </p>
        )}
        <TimezonePicker
          id="schedule-zone"
          label="Time zone"
          value={zone.value}
          onChange={(value) => (zone.value = value)}
          error={errors.value.timezone}
          hint={`The date and time above are read on this zone's clocks. Yours is ${own}.`}
        />
        <Checkbox
          id="schedule-local-time"
          label="Deliver at this time in each subscriber's time zone"
          checked={localTime.value}
          disabled={campaign.abTest !== null}
          onChange={(checked) => (localTime.value = checked)}
          hint={
            campaign.abTest
              ? "Not with an A/B test: its winner is picked from one test group sent at one time."
              : "Their time zone field, else where they last signed up, opened or clicked, else the organisation's."
          }
        />
        <div class="schedule-summary" data-testid="schedule-summary" aria-live="polite">
          {instant && localTime.value ? (
            <LocalTimeSummary date={date.value} time={time.value} />
          ) : instant ? (
            <>
              <p>
                Sends <strong>{formatInZone(instant.epochMs, zone.value)}</strong> in {zone.value} (UTC
                {formatOffset(instant.offsetMinutes)}).
              </p>
              <p class="muted" data-testid="schedule-local">
                That is {formatInZone(instant.epochMs)} your time ({own}).
              </p>
              {instant.disambiguation === "gap" && (
                <p class="field__error">
                  {time.value} does not exist on that day in {zone.value} (the clocks go forward), so it is
                  sent at the time shown.
                </p>
              )}
              {instant.disambiguation === "overlap" && (
                <p class="field__hint">
                  {time.value} happens twice that day in {zone.value} (the clocks go back); the first one is
                  used.
                </p>
              )}
              {past && <p class="field__error">This time has passed: choose a later one, or send now.</p>}
            </>
          ) : (
            <p class="muted">Choose a date and a time.</p>
          )}
        </div>
        <ErrorBanner error={failure.value} />
        <div class="dialog__actions">
          <button type="button" class="button" onClick={onClose} disabled={busy.value}>
            Cancel
          </button>
          <button type="submit" class="button button--primary" disabled={busy.value || !instant}>
            {busy.value ? "Scheduling…" : "Schedule"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

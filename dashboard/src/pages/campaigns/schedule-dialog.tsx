import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { type Campaign, campaignsApi } from "../../api/campaigns";
import { fieldErrors } from "../../api/errors";
import { Checkbox } from "../../components/checkbox-group";
import { Dialog } from "../../components/dialog";
import { ErrorBanner } from "../../components/error-banner";
import { TimezonePicker } from "../../components/timezone-picker";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { LocalTimeSummary } from "./local-time";
import { formatInZone } from "./zoned-format";
import { browserTimeZone, formatOffset, wallInputs, zonedToInstant } from "./zoned-time";

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
      errors.value = { sendAt: t("campaigns.schedule.invalid") };
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
    <Dialog title={t("campaigns.schedule.title")} onClose={onClose}>
      <form class="form" aria-label={t("campaigns.schedule.label")} onSubmit={submit}>
        <div class="schedule-inputs">
          <div class={errors.value.sendAt ? "field field--invalid" : "field"}>
            <label for="schedule-date">{t("campaigns.schedule.date")}</label>
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
            <label for="schedule-time">{t("campaigns.schedule.time")}</label>
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
          label={t("common.timeZone")}
          value={zone.value}
          onChange={(value) => (zone.value = value)}
          error={errors.value.timezone}
          hint={t("campaigns.schedule.zoneHint", { zone: own })}
        />
        <Checkbox
          id="schedule-local-time"
          label={t("campaigns.schedule.localTime")}
          checked={localTime.value}
          disabled={campaign.abTest !== null}
          onChange={(checked) => (localTime.value = checked)}
          hint={campaign.abTest ? t("campaigns.schedule.localTimeAb") : t("campaigns.schedule.localTimeHint")}
        />
        <div class="schedule-summary" data-testid="schedule-summary" aria-live="polite">
          {instant && localTime.value ? (
            <LocalTimeSummary date={date.value} time={time.value} />
          ) : instant ? (
            <>
              <p>
                <Trans
                  k="campaigns.schedule.sends"
                  values={{
                    at: formatInZone(instant.epochMs, zone.value),
                    zone: zone.value,
                    offset: formatOffset(instant.offsetMinutes),
                  }}
                  parts={[(text) => <strong>{text}</strong>]}
                />
              </p>
              <p class="muted" data-testid="schedule-local">
                {t("campaigns.schedule.yourTime", { at: formatInZone(instant.epochMs), zone: own })}
              </p>
              {instant.disambiguation === "gap" && (
                <p class="field__error">
                  {t("campaigns.schedule.gap", { time: time.value, zone: zone.value })}
                </p>
              )}
              {instant.disambiguation === "overlap" && (
                <p class="field__hint">
                  {t("campaigns.schedule.overlap", { time: time.value, zone: zone.value })}
                </p>
              )}
              {past && <p class="field__error">{t("campaigns.schedule.passed")}</p>}
            </>
          ) : (
            <p class="muted">{t("campaigns.schedule.chooseDateTime")}</p>
          )}
        </div>
        <ErrorBanner error={failure.value} />
        <div class="dialog__actions">
          <button type="button" class="button" onClick={onClose} disabled={busy.value}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="button button--primary" disabled={busy.value || !instant}>
            {busy.value ? t("campaigns.schedule.scheduling") : t("campaigns.schedule.submit")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

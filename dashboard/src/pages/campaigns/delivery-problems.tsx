import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { type Campaign, type Chunk, campaignsApi, fetchAll } from "../../api/campaigns";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorBanner } from "../../components/error-banner";
import { useToast } from "../../components/toast";
import { formatNumber } from "../../format";
import { hasKey, t } from "../../i18n";
import { canEdit } from "../../session";
import { isLive } from "./status";

/** A chunk's phase in words ("test" or "main"); an unknown one as the server names it. */
const phaseLabel = (phase: string) =>
  hasKey(`campaigns.problems.phases.${phase}`) ? t(`campaigns.problems.phases.${phase}`) : phase;

/** While live, the chunks are read again every this many polls (they change slowly). */
const EVERY_POLLS = 5;

interface DeliveryProblemsProps {
  campaign: Campaign;
  /** Poll counter of the page; a retry bumps `retried`. */
  tick: number;
  retried: number;
  onRetried: (campaign: Campaign) => void;
}

/**
 * "Delivery problems": chunks of recipients the pipeline gave up on after its retries (dead), with
 * the last error, and a retry. Hidden while there are none.
 */
export function DeliveryProblems({ campaign, tick, retried, onRetried }: DeliveryProblemsProps) {
  const dead = useSignal<Chunk[]>([]);
  const failure = useSignal<unknown>(null);
  const confirming = useSignal(false);
  const notify = useToast();
  const generation = useRef(0);

  const load = () => {
    const mine = ++generation.current;
    // The API lists every chunk by sequence; dead ones are found here (see the report on filters).
    fetchAll((page) => campaignsApi.chunks(campaign.id, page))
      .then((chunks) => {
        if (mine !== generation.current) return;
        dead.value = chunks.filter((chunk) => chunk.status === "dead");
        failure.value = null;
      })
      .catch((caught: unknown) => {
        if (mine === generation.current) failure.value = caught;
      });
  };
  const live = isLive(campaign.status);
  useEffect(() => {
    if (tick <= 1 || !live || tick % EVERY_POLLS === 0) load();
  }, [tick, retried, campaign.status]);

  if (dead.value.length === 0) return <ErrorBanner error={failure.value} onRetry={load} />;
  const recipients = dead.value.reduce((sum, chunk) => sum + chunk.size, 0);
  const retryable = ["sending", "sent", "paused", "testing"].includes(campaign.status);
  return (
    <section class="card delivery-problems" aria-labelledby="problems-title">
      <div class="campaign-card__head">
        <h2 id="problems-title">{t("campaigns.problems.title")}</h2>
        {canEdit.value && retryable && (
          <button type="button" class="button" onClick={() => (confirming.value = true)}>
            {t("campaigns.problems.retry")}
          </button>
        )}
      </div>
      <p class="muted">
        {t("campaigns.problems.intro", {
          count: dead.value.length,
          n: formatNumber(dead.value.length),
          recipients: formatNumber(recipients),
        })}
      </p>
      <ErrorBanner error={failure.value} onRetry={load} />
      <div class="table-wrap table-wrap--flat">
        <table class="table" aria-label={t("campaigns.problems.title")}>
          <thead>
            <tr>
              <th scope="col">{t("campaigns.problems.batch")}</th>
              <th scope="col">{t("campaigns.problems.phase")}</th>
              <th scope="col" class="numeric">
                {t("campaigns.problems.recipients")}
              </th>
              <th scope="col" class="numeric">
                {t("campaigns.problems.attempts")}
              </th>
              <th scope="col">{t("campaigns.problems.lastError")}</th>
            </tr>
          </thead>
          <tbody>
            {dead.value.map((chunk) => (
              <tr key={chunk.seq}>
                <td>#{chunk.seq}</td>
                <td>{phaseLabel(chunk.phase)}</td>
                <td class="numeric">{formatNumber(chunk.size)}</td>
                <td class="numeric">{formatNumber(chunk.attempts)}</td>
                <td class="cell-note">{chunk.lastError ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirming.value && (
        <ConfirmDialog
          title={t("campaigns.problems.confirmTitle")}
          confirmLabel={t("campaigns.problems.confirm")}
          onClose={() => (confirming.value = false)}
          onConfirm={async () => {
            onRetried(await campaignsApi.retry(campaign.id));
            notify(t("campaigns.problems.queued"));
            load();
          }}
        >
          <p>
            {t("campaigns.problems.confirmText", {
              count: dead.value.length,
              n: formatNumber(dead.value.length),
            })}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { type Campaign, type Chunk, campaignsApi, fetchAll } from "../../api/campaigns";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorBanner } from "../../components/error-banner";
import { useToast } from "../../components/toast";
import { canEdit } from "../../session";
import { isLive } from "./status";

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
        <h2 id="problems-title">Delivery problems</h2>
        {canEdit.value && retryable && (
          <button type="button" class="button" onClick={() => (confirming.value = true)}>
            Retry these
          </button>
        )}
      </div>
      <p class="muted">
        {dead.value.length} {dead.value.length === 1 ? "batch" : "batches"} of recipients (
        {recipients.toLocaleString()} in all) could not be processed after repeated attempts. Nothing in them
        was lost: retrying queues them again.
      </p>
      <ErrorBanner error={failure.value} onRetry={load} />
      <div class="table-wrap table-wrap--flat">
        <table class="table" aria-label="Delivery problems">
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Phase</th>
              <th scope="col" class="numeric">
                Recipients
              </th>
              <th scope="col" class="numeric">
                Attempts
              </th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {dead.value.map((chunk) => (
              <tr key={chunk.seq}>
                <td>#{chunk.seq}</td>
                <td>{chunk.phase}</td>
                <td class="numeric">{chunk.size.toLocaleString()}</td>
                <td class="numeric">{chunk.attempts}</td>
                <td class="cell-note">{chunk.lastError ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirming.value && (
        <ConfirmDialog
          title="Retry these batches?"
          confirmLabel="Retry"
          onClose={() => (confirming.value = false)}
          onConfirm={async () => {
            onRetried(await campaignsApi.retry(campaign.id));
            notify("Queued again.");
            load();
          }}
        >
          <p>
            The {dead.value.length} {dead.value.length === 1 ? "batch" : "batches"} above, and every send that
            failed for good, are queued again.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

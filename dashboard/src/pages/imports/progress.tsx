import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { audienceApi, type ImportJob } from "../../api/segments-imports";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { saveFile } from "../../download";
import { formatDateTime, formatNumber, formatPercent } from "../../format";
import { t } from "../../i18n";
import { canEdit } from "../../session";
import { StatusBadge } from "./status-badge";

const POLL_MS = 1000;
/** Failed rows listed on the page; the CSV download has all of them. */
const ROWS_SHOWN = 100;

const COUNTS = ["inserted", "updated", "skipped", "failed", "suppressed"] as const;

/** `/imports/:id`: a progress bar polled every second, then the summary and the failed rows. */
export function ImportProgress({ id }: { id: string }) {
  const job = useSignal<ImportJob | null>(null);
  const failure = useSignal<unknown>(null);
  const restart = useSignal(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      try {
        const next = await audienceApi.imports.get(id);
        if (stopped) return;
        job.value = next;
        failure.value = null;
        if (next.status === "done" || next.status === "failed") return;
      } catch (caught) {
        if (stopped) return;
        failure.value = caught;
        // A 4xx will not get better by asking again; anything else (a blip) is retried.
        if (caught instanceof ApiError && caught.status >= 400 && caught.status < 500) return;
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, restart.value]);

  const current = job.value;
  const finished = current?.status === "done" || current?.status === "failed";
  return (
    <Page
      title={t("imports.progress.title")}
      intro={current?.filename ?? undefined}
      actions={
        <>
          <a class="button" href="/imports">
            {t("imports.progress.all")}
          </a>
          {finished && canEdit.value && (
            <a class="button button--primary" href="/imports/new">
              {t("imports.new")}
            </a>
          )}
        </>
      }
    >
      <ErrorBanner error={failure.value} onRetry={() => restart.value++} />
      {!current && !failure.value && (
        <p class="muted" aria-busy="true">
          {t("common.loading")}
        </p>
      )}
      {current && (
        <Progress
          job={current}
          onResumed={(resumed) => {
            job.value = resumed;
            restart.value++;
          }}
        />
      )}
      {current && finished && <Summary job={current} />}
    </Page>
  );
}

function Progress({ job, onResumed }: { job: ImportJob; onResumed: (job: ImportJob) => void }) {
  const resuming = useSignal(false);
  const resumeFailure = useSignal<unknown>(null);
  const resume = async () => {
    resuming.value = true;
    resumeFailure.value = null;
    try {
      onResumed(await audienceApi.imports.resume(job.id));
    } catch (caught) {
      resumeFailure.value = caught;
    } finally {
      resuming.value = false;
    }
  };
  const total = job.total;
  const percent =
    total > 0 ? Math.min(100, Math.round((job.processed / total) * 100)) : job.status === "done" ? 100 : 0;
  return (
    <section class="card import-progress" aria-labelledby="progress-title">
      <div class="import-progress__head">
        <h2 id="progress-title">{t("imports.progress.heading")}</h2>
        <StatusBadge status={job.status} />
      </div>
      <progress
        class="progress"
        aria-label={t("imports.progress.label")}
        max={total > 0 ? total : 1}
        value={total > 0 ? Math.min(job.processed, total) : job.status === "done" ? 1 : 0}
      />
      <p data-testid="import-processed">
        {job.status === "queued" && total === 0
          ? t("imports.progress.waiting")
          : t("imports.progress.processed", {
              count: total,
              processed: formatNumber(job.processed),
              total: formatNumber(total),
              percent: formatPercent(percent / 100, 0),
            })}
      </p>
      {job.status === "failed" && job.error && (
        <div class="banner banner--error" role="alert">
          <div>
            <strong>{t("imports.progress.stopped")} </strong>
            {job.error}
          </div>
          {canEdit.value && (
            <button type="button" class="button button--small" onClick={resume} disabled={resuming.value}>
              {resuming.value ? t("imports.progress.resuming") : t("imports.progress.resume")}
            </button>
          )}
        </div>
      )}
      <ErrorBanner error={resumeFailure.value} />
      {job.createdAt && (
        <p class="muted">
          {job.finishedAt
            ? t("imports.progress.startedFinished", {
                started: formatDateTime(job.createdAt),
                finished: formatDateTime(job.finishedAt),
              })
            : t("imports.progress.started", { started: formatDateTime(job.createdAt) })}
        </p>
      )}
    </section>
  );
}

function Summary({ job }: { job: ImportJob }) {
  const errors = job.errors ?? [];
  const downloading = useSignal(false);
  const failure = useSignal<unknown>(null);

  const download = async () => {
    downloading.value = true;
    failure.value = null;
    try {
      const blob = await audienceApi.imports.errorsCsv(job.id);
      // i18n-ignore: a file name
      saveFile(blob, `import-${job.id}-failed-rows.csv`);
    } catch (caught) {
      failure.value = caught;
    } finally {
      downloading.value = false;
    }
  };

  return (
    <section class="card" aria-labelledby="summary-title">
      <h2 id="summary-title">{t("imports.summary.title")}</h2>
      <dl class="import-summary" data-testid="import-summary">
        {COUNTS.map((key) => (
          <div
            key={key}
            // i18n-ignore: class names
            class={`import-summary__item import-summary__item--${key}${job[key] > 0 ? " is-nonzero" : ""}`}
          >
            <dt>{t(`imports.summary.${key}`)}</dt>
            <dd data-testid={`import-${key}`}>{formatNumber(job[key])}</dd>
          </div>
        ))}
      </dl>
      {job.failed > 0 && (
        <>
          <div class="import-failed__head">
            <h3>{t("imports.summary.failedRows")}</h3>
            <button type="button" class="button" onClick={download} disabled={downloading.value}>
              {downloading.value ? t("imports.summary.preparing") : t("imports.summary.download")}
            </button>
          </div>
          <ErrorBanner error={failure.value} />
          <div class="table-wrap">
            <table class="table" aria-label={t("imports.summary.failedRows")}>
              <thead>
                <tr>
                  <th scope="col">{t("imports.summary.row")}</th>
                  <th scope="col">{t("common.email")}</th>
                  <th scope="col">{t("imports.summary.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {errors.slice(0, ROWS_SHOWN).map((error) => (
                  <tr key={`${error.row}-${error.message}`}>
                    <td class="nowrap">{formatNumber(error.row)}</td>
                    <td>{error.email || "—"}</td>
                    <td>{error.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {job.failed > Math.min(errors.length, ROWS_SHOWN) && (
            <p class="muted">
              {t("imports.summary.firstOf", {
                shown: formatNumber(Math.min(errors.length, ROWS_SHOWN)),
                total: formatNumber(job.failed),
              })}
            </p>
          )}
        </>
      )}
    </section>
  );
}

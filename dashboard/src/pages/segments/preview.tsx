import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { audienceApi, type Rule, type SegmentPreview } from "../../api/segments-imports";
import { ErrorBanner } from "../../components/error-banner";
import { formatDateTime, formatNumber } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { statusLabel } from "./model";

const DEBOUNCE_MS = 400;

interface LivePreviewProps {
  /** The rules to count, or null while they are incomplete. */
  rule: Rule | null;
  /** A 400 from the preview: the rules are wrong somewhere; the builder shows where. */
  onIssues: (error: ApiError | null) => void;
}

/** Who matches right now: a debounced preview on every change, with the count and a small sample. */
export function LivePreview({ rule, onIssues }: LivePreviewProps) {
  const result = useSignal<SegmentPreview | null>(null);
  const loading = useSignal(false);
  const failure = useSignal<unknown>(null);
  const generation = useRef(0);
  const key = rule ? JSON.stringify(rule) : "";

  useEffect(() => {
    const mine = ++generation.current;
    if (!rule) {
      loading.value = false;
      onIssues(null);
      return;
    }
    loading.value = true;
    const timer = setTimeout(async () => {
      try {
        const preview = await audienceApi.segments.preview(rule);
        if (mine !== generation.current) return;
        result.value = preview;
        failure.value = null;
        onIssues(null);
      } catch (caught) {
        if (mine !== generation.current) return;
        const invalid = caught instanceof ApiError && caught.status === 400;
        onIssues(invalid ? caught : null);
        failure.value = invalid ? null : caught;
        if (invalid) result.value = null;
      } finally {
        if (mine === generation.current) loading.value = false;
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);

  const preview = result.value;
  return (
    <section class="card segment-preview" aria-labelledby="preview-title" aria-busy={loading.value}>
      <h2 id="preview-title">{t("segments.preview.title")}</h2>
      <p class="segment-preview__count" data-testid="segment-count" aria-live="polite">
        {!rule ? (
          <span class="muted">{t("segments.preview.incomplete")}</span>
        ) : preview ? (
          <>
            <Trans
              k="segments.preview.count"
              values={{ count: preview.count, formatted: formatNumber(preview.count) }}
              parts={[(text) => <strong>{text}</strong>]}
            />
            {loading.value && <span class="muted"> {t("segments.preview.updating")}</span>}
          </>
        ) : loading.value ? (
          <span class="muted">{t("segments.preview.counting")}</span>
        ) : failure.value ? (
          <span class="muted">{t("segments.preview.unavailable")}</span>
        ) : (
          <span class="muted">{t("segments.preview.fixRules")}</span>
        )}
      </p>
      <ErrorBanner error={failure.value} />
      {rule && preview && preview.sample.length > 0 && (
        <div class="table-wrap">
          <table class="table" aria-label={t("segments.preview.sample")}>
            <thead>
              <tr>
                <th scope="col">{t("common.email")}</th>
                <th scope="col">{t("common.name")}</th>
                <th scope="col">{t("common.status")}</th>
                <th scope="col">{t("segments.preview.signedUp")}</th>
              </tr>
            </thead>
            <tbody>
              {preview.sample.map((subscriber) => (
                <tr key={subscriber.id}>
                  <td>{subscriber.email}</td>
                  <td>{subscriber.name ?? "—"}</td>
                  <td>
                    <span class="badge badge--muted">{statusLabel(subscriber.status)}</span>
                  </td>
                  <td class="nowrap">{formatDateTime(subscriber.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

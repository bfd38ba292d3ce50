import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { audienceApi, type Rule, type SegmentPreview } from "../../api/segments-imports";
import { ErrorBanner } from "../../components/error-banner";
import { formatDateTime } from "../../format";

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
      <h2 id="preview-title">Matching subscribers</h2>
      <p class="segment-preview__count" data-testid="segment-count" aria-live="polite">
        {!rule ? (
          <span class="muted">Complete the rules to see who matches.</span>
        ) : preview ? (
          <>
            <strong>{preview.count.toLocaleString()}</strong>{" "}
            {preview.count === 1 ? "subscriber" : "subscribers"}
            {loading.value && <span class="muted"> (updating…)</span>}
          </>
        ) : loading.value ? (
          <span class="muted">Counting…</span>
        ) : failure.value ? (
          <span class="muted">The count is not available right now.</span>
        ) : (
          <span class="muted">Fix the highlighted rules to see who matches.</span>
        )}
      </p>
      <ErrorBanner error={failure.value} />
      {rule && preview && preview.sample.length > 0 && (
        <div class="table-wrap">
          <table class="table" aria-label="Sample of matching subscribers">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Signed up</th>
              </tr>
            </thead>
            <tbody>
              {preview.sample.map((subscriber) => (
                <tr key={subscriber.id}>
                  <td>{subscriber.email}</td>
                  <td>{subscriber.name ?? "—"}</td>
                  <td>
                    <span class="badge badge--muted">{subscriber.status}</span>
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

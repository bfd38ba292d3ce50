import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { delivery, type Relay, type RelayTest } from "../../api/delivery";
import { Dialog } from "../../components/dialog";
import { ErrorBanner } from "../../components/error-banner";

const STEP_LABELS: Record<string, string> = {
  connect: "Connecting to the server",
  tls: "Setting up TLS",
  greeting: "Waiting for the server's greeting",
  ehlo: "Saying EHLO",
  auth: "Signing in (AUTH)",
};

/** Runs the relay's connection test as soon as it opens and says how it went, step by step. */
export function RelayTestDialog({ relay, onClose }: { relay: Relay; onClose: () => void }) {
  const result = useSignal<RelayTest | null>(null);
  const failure = useSignal<unknown>(null);
  const busy = useSignal(true);

  const run = () => {
    busy.value = true;
    result.value = null;
    failure.value = null;
    delivery.relays
      .test(relay.id)
      .then((answer) => (result.value = answer))
      .catch((caught: unknown) => (failure.value = caught))
      .finally(() => (busy.value = false));
  };
  useEffect(run, [relay.id]);

  return (
    <Dialog title={`Connection test: ${relay.name}`} onClose={onClose}>
      <div class="dialog__body" aria-live="polite" aria-busy={busy.value}>
        <p class="muted">
          {relay.host}:{relay.port}, security {relay.security}
          {relay.username ? `, user ${relay.username}` : ""}
        </p>
        {busy.value && <p role="status">Testing the connection… this can take up to 30 seconds.</p>}
        <ErrorBanner error={failure.value} onRetry={run} />
        {result.value && <Outcome result={result.value} />}
      </div>
      <div class="dialog__actions">
        <button type="button" class="button" onClick={run} disabled={busy.value}>
          Test again
        </button>
        <button type="button" class="button button--primary" onClick={onClose} autofocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}

function Outcome({ result }: { result: RelayTest }) {
  if (result.ok) {
    return (
      <div class="banner banner--info relay-test relay-test--ok" data-testid="relay-test-result">
        <div>
          <strong>Connection OK.</strong> {result.message}
          <dl class="details">
            <dt>TLS</dt>
            <dd>{result.secure ? "Yes" : "No (plain text)"}</dd>
            <dt>Authenticated</dt>
            <dd>{result.authenticated ? "Yes" : "No"}</dd>
            <dt>Took</dt>
            <dd>{result.elapsedMs} ms</dd>
          </dl>
        </div>
      </div>
    );
  }
  const step = result.step ?? "unknown";
  return (
    <div class="banner banner--error relay-test" role="alert" data-testid="relay-test-result">
      <div>
        <strong>Failed at step “{step}”</strong>: {STEP_LABELS[step] ?? step}.
        <dl class="details">
          <dt>Step</dt>
          <dd data-testid="relay-test-step">{step}</dd>
          {result.code !== undefined && (
            <>
              <dt>Code</dt>
              <dd>
                {result.code}
                {result.enhanced ? ` (${result.enhanced})` : ""}
              </dd>
            </>
          )}
          <dt>Message</dt>
          <dd>{result.message}</dd>
          {result.temporary !== undefined && (
            <>
              <dt>Kind</dt>
              <dd>{result.temporary ? "Temporary: may work later" : "Permanent: needs a change"}</dd>
            </>
          )}
          <dt>Took</dt>
          <dd>{result.elapsedMs} ms</dd>
        </dl>
      </div>
    </div>
  );
}

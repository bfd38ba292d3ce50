import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { delivery, type Relay, type RelayTest } from "../../api/delivery";
import { Dialog } from "../../components/dialog";
import { ErrorBanner } from "../../components/error-banner";
import { formatNumber } from "../../format";
import { t } from "../../i18n";

const STEPS = new Set(["connect", "tls", "greeting", "ehlo", "auth"]);

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
    <Dialog title={t("relays.test.title", { name: relay.name })} onClose={onClose}>
      <div class="dialog__body" aria-live="polite" aria-busy={busy.value}>
        <p class="muted">
          {relay.username
            ? t("relays.test.endpointUser", {
                endpoint: `${relay.host}:${relay.port}`,
                security: relay.security,
                user: relay.username,
              })
            : t("relays.test.endpoint", {
                endpoint: `${relay.host}:${relay.port}`,
                security: relay.security,
              })}
        </p>
        {busy.value && <p role="status">{t("relays.test.busy")}</p>}
        <ErrorBanner error={failure.value} onRetry={run} />
        {result.value && <Outcome result={result.value} />}
      </div>
      <div class="dialog__actions">
        <button type="button" class="button" onClick={run} disabled={busy.value}>
          {t("relays.test.again")}
        </button>
        <button type="button" class="button button--primary" onClick={onClose} autofocus>
          {t("common.close")}
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
          <strong>{t("relays.test.ok")}</strong> {result.message}
          <dl class="details">
            <dt>{t("relays.test.tls")}</dt>
            <dd>{result.secure ? t("common.yes") : t("relays.test.plain")}</dd>
            <dt>{t("relays.test.authenticated")}</dt>
            <dd>{result.authenticated ? t("common.yes") : t("common.no")}</dd>
            <dt>{t("relays.test.took")}</dt>
            <dd>{t("relays.test.ms", { ms: formatNumber(result.elapsedMs) })}</dd>
          </dl>
        </div>
      </div>
    );
  }
  const step = result.step ?? "unknown";
  return (
    <div class="banner banner--error relay-test" role="alert" data-testid="relay-test-result">
      <div>
        <strong>{t("relays.test.failedAt", { step })}</strong>:{" "}
        {STEPS.has(step) ? t(`relays.test.step.${step}`) : step}.
        <dl class="details">
          <dt>{t("relays.test.stepLabel")}</dt>
          <dd data-testid="relay-test-step">{step}</dd>
          {result.code !== undefined && (
            <>
              <dt>{t("relays.test.code")}</dt>
              <dd>
                {result.code}
                {result.enhanced ? ` (${result.enhanced})` : ""}
              </dd>
            </>
          )}
          <dt>{t("relays.test.message")}</dt>
          <dd>{result.message}</dd>
          {result.temporary !== undefined && (
            <>
              <dt>{t("relays.test.kind")}</dt>
              <dd>{result.temporary ? t("relays.test.temporary") : t("relays.test.permanent")}</dd>
            </>
          )}
          <dt>{t("relays.test.took")}</dt>
          <dd>{t("relays.test.ms", { ms: formatNumber(result.elapsedMs) })}</dd>
        </dl>
      </div>
    </div>
  );
}

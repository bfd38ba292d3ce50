import { useSignal } from "@preact/signals";
import { type Domain, delivery, type RecordCheck } from "../../api/delivery";
import { ErrorBanner } from "../../components/error-banner";
import { formatDateTime } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { RecordsTable } from "./records-table";

interface DomainCardProps {
  domain: Domain;
  /** Owners and admins check DNS and delete; everyone else reads. */
  manage: boolean;
  onChanged: (domain: Domain) => void;
  onDelete: (domain: Domain) => void;
}

/** One sending domain: its verified state, the records to publish, "Check DNS" and delete. */
export function DomainCard({ domain, manage, onChanged, onDelete }: DomainCardProps) {
  const checks = useSignal<RecordCheck[] | null>(null);
  const checking = useSignal(false);
  const failure = useSignal<unknown>(null);
  const lastVerdict = useSignal<boolean | null>(null);
  const titleId = `domain-${domain.id}`;

  const check = async () => {
    checking.value = true;
    failure.value = null;
    try {
      const answer = await delivery.domains.verify(domain.id);
      checks.value = answer.checks;
      lastVerdict.value = answer.verified;
      onChanged(answer.domain);
    } catch (caught) {
      failure.value = caught;
    } finally {
      checking.value = false;
    }
  };

  const required = checks.value?.filter((c) => c.required) ?? [];
  const missing = required.filter((c) => c.status === "missing" || c.status === "mismatch").length;
  const failed = required.filter((c) => c.status === "error").length;
  return (
    <section class="card domain-card" aria-labelledby={titleId} aria-busy={checking.value}>
      <header class="domain-card__head">
        <div>
          <h2 id={titleId}>{domain.domain}</h2>
          <p class="muted domain-card__meta">
            {domain.verifiedAt ? (
              <span class="badge badge--ok" data-testid="domain-state">
                {t("domains.verified")}
              </span>
            ) : (
              <span class="badge badge--warning" data-testid="domain-state">
                {t("domains.notVerified")}
              </span>
            )}{" "}
            {domain.verifiedAt
              ? t("domains.since", { time: formatDateTime(domain.verifiedAt) })
              : t("domains.publishThenCheck")}
            {" · "}
            {domain.ed25519Selector ? (
              <Trans
                k="domains.selectors"
                values={{ rsa: domain.dkimSelector, ed25519: domain.ed25519Selector }}
                parts={[(s) => <code>{s}</code>, (s) => <code>{s}</code>]}
              />
            ) : (
              <Trans
                k="domains.selectorLine"
                values={{ selector: domain.dkimSelector }}
                parts={[(s) => <code>{s}</code>]}
              />
            )}
            {" · "}
            <Trans
              k="domains.bounceLine"
              values={{ domain: domain.bounceDomain ?? domain.domain }}
              parts={[(s) => <code>{s}</code>]}
            />
          </p>
        </div>
        {manage && (
          <div class="page__actions">
            <button type="button" class="button" onClick={check} disabled={checking.value}>
              {checking.value ? t("domains.checking") : t("domains.check")}
              <span class="visually-hidden"> {t("domains.checkFor", { domain: domain.domain })}</span>
            </button>
            <button type="button" class="button button--danger-quiet" onClick={() => onDelete(domain)}>
              {t("common.delete")}
              <span class="visually-hidden"> {domain.domain}</span>
            </button>
          </div>
        )}
      </header>
      <ErrorBanner error={failure.value} onRetry={check} />
      {lastVerdict.value !== null && (
        <p class={lastVerdict.value ? "banner banner--info" : "banner banner--warning"} role="status">
          {lastVerdict.value ? t("domains.allPublished") : verdict(missing, failed)}
        </p>
      )}
      <RecordsTable domain={domain.domain} records={domain.records} checks={checks.value} />
    </section>
  );
}

/** Why a domain is not verified yet: records not (or wrongly) published, or lookups that failed. */
function verdict(missing: number, failed: number): string {
  const parts: string[] = [];
  if (missing > 0) parts.push(t("domains.missing", { count: missing }));
  if (failed > 0) parts.push(t("domains.lookupFailed", { count: failed }));
  return parts.join(" ");
}

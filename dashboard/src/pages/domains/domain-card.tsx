import { useSignal } from "@preact/signals";
import { type Domain, delivery, type RecordCheck } from "../../api/delivery";
import { ErrorBanner } from "../../components/error-banner";
import { formatDateTime } from "../../format";
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
                Verified
              </span>
            ) : (
              <span class="badge badge--warning" data-testid="domain-state">
                Not verified
              </span>
            )}{" "}
            {domain.verifiedAt
              ? `since ${formatDateTime(domain.verifiedAt)}`
              : "Publish the required records, then check DNS."}
            {" · "}DKIM selector <code>{domain.dkimSelector}</code>
            {domain.ed25519Selector && (
              <>
                {" "}
                and <code>{domain.ed25519Selector}</code>
              </>
            )}
            {" · "}Bounce domain <code>{domain.bounceDomain ?? domain.domain}</code>
          </p>
        </div>
        {manage && (
          <div class="page__actions">
            <button type="button" class="button" onClick={check} disabled={checking.value}>
              {checking.value ? "Checking DNS…" : "Check DNS"}
              <span class="visually-hidden"> for {domain.domain}</span>
            </button>
            <button type="button" class="button button--danger-quiet" onClick={() => onDelete(domain)}>
              Delete<span class="visually-hidden"> {domain.domain}</span>
            </button>
          </div>
        )}
      </header>
      <ErrorBanner error={failure.value} onRetry={check} />
      {lastVerdict.value !== null && (
        <p class={lastVerdict.value ? "banner banner--info" : "banner banner--warning"} role="status">
          {lastVerdict.value
            ? "Every required record is published: mail from this domain is signed and verifiable."
            : verdict(missing, failed)}
        </p>
      )}
      <RecordsTable domain={domain.domain} records={domain.records} checks={checks.value} />
    </section>
  );
}

/** Why a domain is not verified yet: records not (or wrongly) published, or lookups that failed. */
function verdict(missing: number, failed: number): string {
  const parts: string[] = [];
  if (missing > 0)
    parts.push(
      `${missing} required ${missing === 1 ? "record is" : "records are"} not published as expected yet; DNS changes can take a while to show.`,
    );
  if (failed > 0)
    parts.push(
      `The DNS lookup failed for ${failed} required ${failed === 1 ? "record" : "records"}: try again later.`,
    );
  return parts.join(" ");
}

import { useSignal } from "@preact/signals";
import { type Domain, delivery } from "../../api/delivery";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { usePager } from "../../hooks/use-pager";
import { canManage } from "../../session";
import { AddDomainDialog } from "./add-dialog";
import { DomainCard } from "./domain-card";
import "./domains.css";

/** Domains Edgepost signs mail for (DKIM), with the DNS records to publish and a check of them. */
export function DomainsPage() {
  const pager = usePager((cursor) => delivery.domains.list({ limit: 20, cursor }));
  const adding = useSignal(false);
  const deleting = useSignal<Domain | null>(null);
  const notify = useToast();
  const manage = canManage.value;
  const rows = pager.rows.value;
  const replace = (domain: Domain) => {
    pager.rows.value = pager.rows.value.map((row) => (row.id === domain.id ? domain : row));
  };

  return (
    <Page
      title="Sending domains"
      intro="Mail from a verified domain is DKIM-signed, so receivers can tell it really comes from you."
      actions={
        manage && (
          <button type="button" class="button button--primary" onClick={() => (adding.value = true)}>
            Add domain
          </button>
        )
      }
    >
      <div class="domain-list" aria-busy={pager.loading.value}>
        {rows.map((domain) => (
          <DomainCard
            key={domain.id}
            domain={domain}
            manage={manage}
            onChanged={replace}
            onDelete={(target) => (deleting.value = target)}
          />
        ))}
        {rows.length === 0 && !pager.loading.value && !pager.error.value && (
          <p class="card muted">
            No sending domains yet{manage ? ": add the domain of your From addresses." : "."}
          </p>
        )}
        <ErrorBanner error={pager.error.value} onRetry={pager.retry} />
        <div class="table-footer">
          <span class="muted">
            {pager.loading.value && rows.length === 0
              ? "Loading…"
              : `Showing ${rows.length}${pager.total.value !== undefined ? ` of ${pager.total.value}` : ""}`}
          </span>
          {pager.nextCursor.value && (
            <button type="button" class="button" onClick={pager.loadMore} disabled={pager.loading.value}>
              {pager.loading.value ? "Loading…" : "Load more"}
            </button>
          )}
        </div>
      </div>
      {adding.value && (
        <AddDomainDialog
          onClose={() => (adding.value = false)}
          onAdded={(domain) => {
            adding.value = false;
            notify(`${domain.domain} was added: publish its DNS records, then check DNS.`);
            pager.reload();
          }}
        />
      )}
      {deleting.value && (
        <ConfirmDialog
          title="Delete this domain?"
          confirmLabel="Delete domain"
          onClose={() => (deleting.value = null)}
          onConfirm={async () => {
            const domain = deleting.value;
            if (!domain) return;
            await delivery.domains.remove(domain.id);
            notify(`${domain.domain} was deleted.`);
            pager.reload();
          }}
        >
          <p>
            <strong>{deleting.value.domain}</strong> and its DKIM keys will be deleted. Mail from it then goes
            out unsigned, and the keys cannot be recovered: adding it again makes new ones to publish.
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

import { useSignal } from "@preact/signals";
import { type Domain, delivery } from "../../api/delivery";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { formatNumber } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
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
      title={t("nav.domains")}
      intro={t("domains.intro")}
      actions={
        manage && (
          <button type="button" class="button button--primary" onClick={() => (adding.value = true)}>
            {t("domains.add")}
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
          <p class="card muted">{manage ? t("domains.emptyManage") : t("domains.empty")}</p>
        )}
        <ErrorBanner error={pager.error.value} onRetry={pager.retry} />
        <div class="table-footer">
          <span class="muted">
            {pager.loading.value && rows.length === 0
              ? t("common.loading")
              : pager.total.value !== undefined
                ? t("domains.showingOf", {
                    shown: formatNumber(rows.length),
                    total: formatNumber(pager.total.value),
                  })
                : t("domains.showing", { shown: formatNumber(rows.length) })}
          </span>
          {pager.nextCursor.value && (
            <button type="button" class="button" onClick={pager.loadMore} disabled={pager.loading.value}>
              {pager.loading.value ? t("common.loading") : t("common.loadMore")}
            </button>
          )}
        </div>
      </div>
      {adding.value && (
        <AddDomainDialog
          onClose={() => (adding.value = false)}
          onAdded={(domain) => {
            adding.value = false;
            notify(t("domains.added", { domain: domain.domain }));
            pager.reload();
          }}
        />
      )}
      {deleting.value && (
        <ConfirmDialog
          title={t("domains.deleteTitle")}
          confirmLabel={t("domains.deleteDomain")}
          onClose={() => (deleting.value = null)}
          onConfirm={async () => {
            const domain = deleting.value;
            if (!domain) return;
            await delivery.domains.remove(domain.id);
            notify(t("domains.deleted", { domain: domain.domain }));
            pager.reload();
          }}
        >
          <p>
            <Trans
              k="domains.deleteBody"
              values={{ domain: deleting.value.domain }}
              parts={[(s) => <strong>{s}</strong>]}
            />
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { type Campaign, campaignsApi, SEND_STATUSES, type Send, type SendFilters } from "../../api/campaigns";
import { fieldErrors } from "../../api/errors";
import { Field } from "../../components/field";
import { FilterBar } from "../../components/filter-bar";
import { type Column, Table } from "../../components/table";
import { formatDateTime, formatNumber } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { isLive, SendStatusBadge } from "./status";

const columns = (): Column<Send>[] => [
  { header: t("common.email"), cell: (send) => send.email },
  { header: t("common.status"), cell: (send) => <SendStatusBadge status={send.status} /> },
  { header: t("campaigns.log.attempts"), class: "numeric", cell: (send) => formatNumber(send.attempts) },
  { header: t("campaigns.log.lastReply"), class: "cell-note", cell: (send) => <LastReply send={send} /> },
  { header: t("campaigns.log.nextRetry"), class: "nowrap", cell: (send) => formatDateTime(send.nextRetryAt) },
  { header: t("campaigns.log.sent"), class: "nowrap", cell: (send) => formatDateTime(send.sentAt) },
  {
    header: t("campaigns.log.engagement"),
    class: "nowrap",
    cell: (send) =>
      [send.openedAt && t("campaigns.log.opened"), send.clickedAt && t("campaigns.log.clicked")]
        .filter(Boolean)
        .join(t("campaigns.log.and")) || <span class="muted">—</span>,
  },
];

function LastReply({ send }: { send: Send }) {
  if (send.lastCode === null && !send.lastEnhanced && !send.lastError) return <span class="muted">—</span>;
  return (
    <span data-testid="last-reply">
      {send.lastCode !== null && <code>{send.lastCode}</code>}{" "}
      {send.lastEnhanced && <code>{send.lastEnhanced}</code>} {send.lastError}
    </span>
  );
}

const toStatus = (value: string) => SEND_STATUSES.find((status) => status === value);

/**
 * The per-recipient log, paged on the server, filtered by status and the start of the address.
 * While the campaign is live its first page follows the polling.
 */
export function SendLog({ campaign, tick }: { campaign: Campaign; tick: number }) {
  const filters = useSignal<SendFilters>({});
  const key = JSON.stringify(filters.value);
  const pager = usePager(
    (cursor) => campaignsApi.sends(campaign.id, filters.value, { limit: 50, cursor }),
    `${campaign.id}:${key}`,
    "pages",
  );
  const errors = fieldErrors(pager.error.value);

  // Follow the send while on the first page; a status change (sending -> sent) reloads once more.
  const lastStatus = useRef(campaign.status);
  useEffect(() => {
    const changed = lastStatus.current !== campaign.status;
    lastStatus.current = campaign.status;
    if (pager.pageIndex.value !== 0) return;
    if (changed || (tick > 1 && isLive(campaign.status))) pager.reload();
  }, [tick, campaign.status]);

  const apply = (change: SendFilters) => {
    filters.value = { ...filters.value, ...change };
  };

  return (
    <section class="campaign-log" aria-labelledby="log-title">
      <h2 id="log-title">{t("campaigns.log.title")}</h2>
      <FilterBar
        label={t("campaigns.log.filters")}
        class="filters--short"
        search={{
          id: "sends-q",
          label: t("common.email"),
          placeholder: t("campaigns.log.searchPlaceholder"),
          error: errors.q,
          onSearch: (q) => apply({ q }),
          onClear: () => (filters.value = {}),
        }}
      >
        <Field
          id="sends-status"
          label={t("common.status")}
          value={filters.value.status ?? ""}
          onInput={(value) => apply({ status: toStatus(value) })}
          options={[
            { value: "", label: t("common.anyStatus") },
            ...SEND_STATUSES.map((s) => ({ value: s, label: t(`campaigns.sendStatus.${s}`) })),
          ]}
          error={errors.status}
        />
      </FilterBar>
      <Table
        label={t("campaigns.log.title")}
        columns={columns()}
        pager={pager}
        rowKey={(send) => send.id}
        empty={t(key === "{}" ? "campaigns.log.empty" : "campaigns.log.noMatch")}
      />
    </section>
  );
}

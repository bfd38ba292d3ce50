import { type Webhook, type WebhookAttempt, webhooks } from "../../api/webhooks";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { Truncated } from "../../components/truncated";
import { formatDateTime, numberFormat } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";

/** One endpoint's delivery log, newest first, each attempt with a Redeliver button. */
export function DeliveryLog({ hook, onClose }: { hook: Webhook; onClose: () => void }) {
  const pager = usePager((cursor) => webhooks.deliveries(hook.id, { limit: 25, cursor }), hook.id);
  const notify = useToast();

  const redeliver = async (attempt: WebhookAttempt) => {
    try {
      await webhooks.redeliver(hook.id, attempt.deliveryId);
      notify(t("webhooks.log.redelivered"));
      setTimeout(() => pager.reload(), 1500);
    } catch {
      notify(t("webhooks.log.redeliverFailed"));
    }
  };

  const columns: Column<WebhookAttempt>[] = [
    { header: t("webhooks.log.time"), cell: (a) => formatDateTime(a.createdAt), class: "nowrap" },
    {
      header: t("webhooks.log.event"),
      cell: (a) => (
        <>
          <code>{a.event}</code>
          {a.eventCount > 1 && (
            <span class="muted"> {t("webhooks.log.events", { count: a.eventCount })}</span>
          )}
        </>
      ),
    },
    {
      header: t("common.status"),
      cell: (a) => (
        <span class={a.ok ? "badge badge--ok" : "badge badge--danger"}>
          {a.status ?? t("webhooks.log.noAnswer")}
        </span>
      ),
    },
    {
      header: t("webhooks.log.latency"),
      cell: (a) =>
        numberFormat({ style: "unit", unit: "millisecond", unitDisplay: "short" }).format(a.latencyMs),
      class: "nowrap",
    },
    {
      header: t("webhooks.log.response"),
      cell: (a) => <Truncated text={a.error ?? a.responseExcerpt ?? ""} />,
    },
    {
      header: t("common.actions"),
      class: "table__actions",
      cell: (a) => (
        <button type="button" class="button button--small" onClick={() => redeliver(a)}>
          {t("webhooks.log.redeliver")}
        </button>
      ),
    },
  ];

  return (
    <section class="card" aria-labelledby="webhook-log-title" data-testid="webhook-log">
      <header class="page__header">
        <h2 id="webhook-log-title">{t("webhooks.log.title", { url: hook.url })}</h2>
        <div class="page__actions">
          <button type="button" class="button button--small" onClick={() => pager.reload()}>
            {t("webhooks.log.refresh")}
          </button>{" "}
          <button type="button" class="button button--small" onClick={onClose}>
            {t("common.close")}
          </button>
        </div>
      </header>
      <Table
        label={t("webhooks.log.label")}
        columns={columns}
        pager={pager}
        rowKey={(a) => a.id}
        empty={t("webhooks.log.empty")}
      />
    </section>
  );
}

import { useSignal } from "@preact/signals";
import { type CreatedWebhook, type Webhook, webhooks } from "../../api/webhooks";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ManagersOnly } from "../../components/managers-only";
import { Page } from "../../components/page";
import { type Column, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { Truncated } from "../../components/truncated";
import { formatNumber } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { t } from "../../i18n";
import { DeliveryLog } from "./deliveries";
import { NewSecretNotice, WebhookForm } from "./form";

export function WebhooksPage() {
  return (
    <ManagersOnly title={t("webhooks.title")}>
      <Webhooks />
    </ManagersOnly>
  );
}

function Webhooks() {
  const pager = usePager((cursor) => webhooks.list({ limit: 25, cursor }));
  const form = useSignal<{ editing?: Webhook } | null>(null);
  const created = useSignal<CreatedWebhook | null>(null);
  const deleting = useSignal<Webhook | null>(null);
  const logOf = useSignal<Webhook | null>(null);
  const notify = useToast();

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      notify(done);
      pager.reload();
    } catch {
      notify(t("webhooks.actionFailed"));
    }
  };

  const columns: Column<Webhook>[] = [
    { header: t("webhooks.url"), cell: (h) => <Truncated text={h.url} /> },
    {
      header: t("webhooks.eventsColumn"),
      cell: (h) => (
        <span title={h.events.join(", ")}>{t("webhooks.eventCount", { count: h.events.length })}</span>
      ),
    },
    { header: t("common.status"), cell: (h) => <HookStatus hook={h} /> },
    { header: t("webhooks.pending"), cell: (h) => formatNumber(h.pending), class: "nowrap" },
    { header: t("common.actions"), class: "table__actions", cell: (h) => <RowActions hook={h} /> },
  ];

  function RowActions({ hook }: { hook: Webhook }) {
    const small = "button button--small";
    return (
      <>
        <button type="button" class={small} onClick={() => (logOf.value = hook)}>
          {t("webhooks.deliveries")}
        </button>{" "}
        <button
          type="button"
          class={small}
          onClick={() => act(() => webhooks.test(hook.id), t("webhooks.testSent"))}
        >
          {t("webhooks.sendTest")}
        </button>{" "}
        <button
          type="button"
          class={small}
          onClick={() =>
            act(
              () => webhooks.update(hook.id, { enabled: !hook.enabled }),
              hook.enabled ? t("webhooks.disabledNotice") : t("webhooks.enabledNotice"),
            )
          }
        >
          {hook.enabled ? t("webhooks.disable") : t("webhooks.enable")}
        </button>{" "}
        <button type="button" class={small} onClick={() => (form.value = { editing: hook })}>
          {t("common.edit")}
        </button>{" "}
        <button
          type="button"
          class="button button--small button--danger-quiet"
          onClick={() => (deleting.value = hook)}
        >
          {t("common.delete")}
        </button>
      </>
    );
  }

  return (
    <Page
      title={t("webhooks.title")}
      intro={t("webhooks.intro")}
      actions={
        !form.value && (
          <button
            type="button"
            class="button button--primary"
            onClick={() => {
              created.value = null;
              form.value = {};
            }}
          >
            {t("webhooks.add")}
          </button>
        )
      }
    >
      {created.value && <NewSecretNotice hook={created.value} onDone={() => (created.value = null)} />}
      {form.value && (
        <WebhookForm
          editing={form.value.editing}
          onCancel={() => (form.value = null)}
          onSaved={(saved) => {
            const wasEdit = Boolean(form.value?.editing);
            form.value = null;
            if (!wasEdit && "secret" in saved) created.value = saved;
            else notify(t("common.changesSaved"));
            pager.reload();
          }}
        />
      )}
      <Table
        label={t("webhooks.title")}
        columns={columns}
        pager={pager}
        rowKey={(h) => h.id}
        empty={t("webhooks.empty")}
      />
      {logOf.value && <DeliveryLog hook={logOf.value} onClose={() => (logOf.value = null)} />}
      {deleting.value && (
        <ConfirmDialog
          title={t("webhooks.deleteTitle")}
          confirmLabel={t("webhooks.deleteConfirm")}
          onClose={() => (deleting.value = null)}
          onConfirm={async () => {
            const hook = deleting.value;
            if (hook) await webhooks.remove(hook.id);
            if (logOf.value?.id === hook?.id) logOf.value = null;
            notify(t("webhooks.deleted"));
            pager.reload();
          }}
        >
          <p>{t("webhooks.deleteBody", { url: deleting.value.url })}</p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

function HookStatus({ hook }: { hook: Webhook }) {
  if (hook.enabled) return <span class="badge badge--ok">{t("webhooks.status.enabled")}</span>;
  if (hook.disabledReason)
    return (
      <span class="badge badge--danger" title={hook.disabledReason}>
        {t("webhooks.status.autoDisabled")}
      </span>
    );
  return <span class="badge badge--muted">{t("webhooks.status.disabled")}</span>;
}

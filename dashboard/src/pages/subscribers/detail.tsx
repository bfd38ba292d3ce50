import { useSignal } from "@preact/signals";
import { useLocation, useRoute } from "preact-iso";
import { audience, fetchAll, type SubscriberDetail } from "../../api/audience";
import { ApiError } from "../../api/errors";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorBanner } from "../../components/error-banner";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { saveFile } from "../../download";
import { formatDateTime } from "../../format";
import { useResource } from "../../hooks/use-resource";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { canEdit } from "../../session";
import { Memberships } from "./memberships";
import { ProfileCard } from "./profile";
import { StatusBadge } from "./status";
import { Timeline } from "./timeline";
import { WorkflowRuns } from "./workflow-runs";

/** One subscriber: profile, lists with consent, activity, and the GDPR export and erase. */
export function SubscriberPage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const subscriber = useResource(() => audience.subscribers.get(id), id);
  const fields = useResource(async () => (await audience.fields.list()).data);
  const lists = useResource(() => fetchAll(audience.lists.list));
  const actionError = useSignal<unknown>(null);
  const current = subscriber.data.value;

  if (!current) {
    const missing = subscriber.error.value instanceof ApiError && subscriber.error.value.status === 404;
    return (
      <Page title={missing ? t("subscribers.detail.notFound") : t("subscribers.detail.title")}>
        <BackLink />
        {missing ? (
          <div class="card notice" role="note">
            <p>{t("subscribers.detail.noSuch")}</p>
          </div>
        ) : (
          <div aria-busy={subscriber.loading.value}>
            <ErrorBanner error={subscriber.error.value} onRetry={subscriber.reload} />
            {subscriber.loading.value && <p class="muted">{t("common.loading")}</p>}
          </div>
        )}
      </Page>
    );
  }

  const update = (next: SubscriberDetail) => {
    subscriber.data.value = next;
  };

  return (
    <Page
      title={current.email}
      intro={
        <>
          <StatusBadge status={current.status} />{" "}
          {t("subscribers.detail.dates", {
            added: formatDateTime(current.createdAt),
            updated: formatDateTime(current.updatedAt),
          })}
        </>
      }
      actions={
        canEdit.value && (
          <PrivacyActions subscriber={current} onError={(error) => (actionError.value = error)} />
        )
      }
    >
      <BackLink />
      <ErrorBanner error={actionError.value} />
      {current.suppressed && (
        <div class="banner banner--warning" role="note">
          {t("subscribers.detail.suppressed")}
        </div>
      )}
      <ErrorBanner
        error={fields.error.value ?? lists.error.value}
        onRetry={() => {
          fields.reload();
          lists.reload();
        }}
      />
      {fields.data.value && (
        <ProfileCard
          key={current.id}
          subscriber={current}
          fields={fields.data.value}
          editable={canEdit.value}
          onSaved={update}
        />
      )}
      <Memberships
        subscriber={current}
        lists={lists.data.value}
        editable={canEdit.value}
        onChanged={update}
      />
      <WorkflowRuns subscriberId={current.id} />
      <Timeline subscriberId={current.id} />
    </Page>
  );
}

function BackLink() {
  return (
    <p class="back-link">
      <a href="/subscribers">{t("subscribers.detail.back")}</a>
    </p>
  );
}

/** "Export data" saves everything held on the person as a JSON file; "Erase" removes them for good. */
function PrivacyActions({
  subscriber,
  onError,
}: {
  subscriber: SubscriberDetail;
  onError: (error: unknown) => void;
}) {
  const erasing = useSignal(false);
  const exporting = useSignal(false);
  const notify = useToast();
  const { route } = useLocation();

  const download = async () => {
    exporting.value = true;
    onError(null);
    try {
      const data = await audience.subscribers.export(subscriber.id);
      saveJson(`subscriber-${subscriber.id}.json`, data);
      notify(t("subscribers.detail.exported"));
    } catch (error) {
      onError(error);
    } finally {
      exporting.value = false;
    }
  };

  return (
    <>
      <button type="button" class="button" onClick={download} disabled={exporting.value}>
        {exporting.value ? t("subscribers.export.busy") : t("subscribers.detail.exportData")}
      </button>
      <button type="button" class="button button--danger" onClick={() => (erasing.value = true)}>
        {t("subscribers.detail.erase")}
      </button>
      {erasing.value && (
        <ConfirmDialog
          title={t("subscribers.detail.eraseTitle")}
          confirmLabel={t("subscribers.detail.erasePermanently")}
          onClose={() => (erasing.value = false)}
          onConfirm={async () => {
            await audience.subscribers.erase(subscriber.id);
            notify(t("subscribers.detail.erased", { email: subscriber.email }));
            route("/subscribers");
          }}
        >
          <p>
            <Trans
              k="subscribers.detail.eraseBody"
              values={{ email: subscriber.email }}
              parts={[(text) => <strong>{text}</strong>, (text) => <strong>{text}</strong>]}
            />
          </p>
          <p>{t("subscribers.detail.eraseHash")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Hands a value to the browser as a downloaded JSON file. */
function saveJson(filename: string, data: unknown) {
  saveFile(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }), filename);
}

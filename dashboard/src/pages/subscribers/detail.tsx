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
      <Page title={missing ? "Subscriber not found" : "Subscriber"}>
        <BackLink />
        {missing ? (
          <div class="card notice" role="note">
            <p>There is no subscriber with this id. They may have been erased.</p>
          </div>
        ) : (
          <div aria-busy={subscriber.loading.value}>
            <ErrorBanner error={subscriber.error.value} onRetry={subscriber.reload} />
            {subscriber.loading.value && <p class="muted">Loading…</p>}
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
          <StatusBadge status={current.status} /> Added {formatDateTime(current.createdAt)} · updated{" "}
          {formatDateTime(current.updatedAt)}
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
          This address is on the suppression list: no mail is sent to it, whatever its lists say.
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
      <a href="/subscribers">← All subscribers</a>
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
      notify("The export was downloaded.");
    } catch (error) {
      onError(error);
    } finally {
      exporting.value = false;
    }
  };

  return (
    <>
      <button type="button" class="button" onClick={download} disabled={exporting.value}>
        {exporting.value ? "Exporting…" : "Export data"}
      </button>
      <button type="button" class="button button--danger" onClick={() => (erasing.value = true)}>
        Erase
      </button>
      {erasing.value && (
        <ConfirmDialog
          title="Erase this subscriber?"
          confirmLabel="Erase permanently"
          onClose={() => (erasing.value = false)}
          onConfirm={async () => {
            await audience.subscribers.erase(subscriber.id);
            notify(`${subscriber.email} was erased.`);
            route("/subscribers");
          }}
        >
          <p>
            Everything Edgepost holds about <strong>{subscriber.email}</strong> is deleted: profile, fields,
            list memberships and consent records. Past sends and events are kept for campaign figures but no
            longer point to this person. <strong>This cannot be undone.</strong>
          </p>
          <p>
            The address stays on the suppression list (as a hash only), so it is never mailed again, even if
            it is imported or signs up later. Use “Export data” first if the person asked for a copy.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Hands a value to the browser as a downloaded JSON file. */
function saveJson(filename: string, data: unknown) {
  saveFile(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }), filename);
}

import { useSignal } from "@preact/signals";
import {
  audience,
  type List,
  type Membership,
  type SubscriberChangeResult,
  type SubscriberDetail,
} from "../../api/audience";
import { Checkbox } from "../../components/checkbox-group";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { useToast } from "../../components/toast";
import { formatDateTime } from "../../format";
import { MembershipBadge } from "./status";

interface MembershipsProps {
  subscriber: SubscriberDetail;
  /** Every list, for "Add to list"; undefined while loading. */
  lists: List[] | undefined;
  editable: boolean;
  onChanged: (subscriber: SubscriberDetail) => void;
}

const SOURCE_LABELS: Record<Membership["source"], string> = {
  api: "API",
  import: "Import",
  form: "Subscription form",
  admin: "Dashboard",
  workflow: "Automation",
};

/** The lists this person is on, with the consent behind each, and adding or removing lists. */
export function Memberships({ subscriber, lists, editable, onChanged }: MembershipsProps) {
  const removing = useSignal<Membership | null>(null);
  const notify = useToast();
  const changed = (result: SubscriberChangeResult, message: string) => {
    notify(message);
    if (result.confirmationError) notify(result.confirmationError, "error");
    onChanged(result);
  };

  return (
    <section class="card" aria-labelledby="lists-title">
      <h2 id="lists-title">Lists and consent</h2>
      {subscriber.lists.length === 0 ? (
        <p class="muted">Not on any list.</p>
      ) : (
        <div class="table-wrap table-wrap--flat">
          <table class="table" aria-label="Lists and consent">
            <thead>
              <tr>
                <th scope="col">List</th>
                <th scope="col">Status</th>
                <th scope="col">Consent</th>
                <th scope="col">Times</th>
                {editable && (
                  <th scope="col" class="table__actions">
                    Actions
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {subscriber.lists.map((membership) => (
                <tr key={membership.listId}>
                  <td>{membership.listName}</td>
                  <td>
                    <MembershipBadge status={membership.status} />
                  </td>
                  <td>
                    <dl class="details">
                      <dt>Source</dt>
                      <dd>{SOURCE_LABELS[membership.source]}</dd>
                      <dt>IP</dt>
                      <dd>{membership.ip ?? "—"}</dd>
                      <dt>User agent</dt>
                      <dd>{membership.userAgent ?? "—"}</dd>
                    </dl>
                  </td>
                  <td>
                    <dl class="details details--times">
                      <dt>Consented</dt>
                      <dd>{formatDateTime(membership.consentedAt)}</dd>
                      <dt>Confirmed</dt>
                      <dd>{formatDateTime(membership.confirmedAt)}</dd>
                      <dt>Unsubscribed</dt>
                      <dd>{formatDateTime(membership.unsubscribedAt)}</dd>
                    </dl>
                  </td>
                  {editable && (
                    <td class="table__actions">
                      {membership.status !== "unsubscribed" && (
                        <button
                          type="button"
                          class="button button--small button--danger-quiet"
                          onClick={() => (removing.value = membership)}
                        >
                          Remove<span class="visually-hidden"> from {membership.listName}</span>
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editable && lists && (
        <AddToList
          subscriber={subscriber}
          lists={lists}
          onAdded={(result, list) => changed(result, `Added to ${list.name}.`)}
        />
      )}
      {removing.value && (
        <ConfirmDialog
          title="Remove from this list?"
          confirmLabel="Remove from list"
          onClose={() => (removing.value = null)}
          onConfirm={async () => {
            const membership = removing.value;
            if (!membership) return;
            const result = await audience.subscribers.changeLists(subscriber.id, {
              remove: [membership.listId],
            });
            changed(result, `Removed from ${membership.listName}.`);
          }}
        >
          <p>
            <strong>{subscriber.email}</strong> will no longer get mail sent to{" "}
            <strong>{removing.value.listName}</strong>. The consent record is kept and marked unsubscribed.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

interface AddToListProps {
  subscriber: SubscriberDetail;
  lists: List[];
  onAdded: (result: SubscriberChangeResult, list: List) => void;
}

/** A list picker offering the lists this person is not (or no longer) on. */
function AddToList({ subscriber, lists, onAdded }: AddToListProps) {
  const current = new Set(subscriber.lists.filter((m) => m.status !== "unsubscribed").map((m) => m.listId));
  const choices = lists.filter((list) => !current.has(list.id));
  const listId = useSignal("");
  const preconfirm = useSignal(false);
  const busy = useSignal(false);
  const error = useSignal<unknown>(null);
  const chosen = choices.find((list) => list.id === listId.value);

  if (choices.length === 0) {
    return <p class="muted">{lists.length ? "On every list already." : "No lists to add to yet."}</p>;
  }

  const add = async (event: Event) => {
    event.preventDefault();
    if (!chosen || busy.value) return;
    busy.value = true;
    error.value = null;
    try {
      const double = chosen.optIn === "double";
      const result = await audience.subscribers.changeLists(subscriber.id, {
        add: [chosen.id],
        ...(double ? { preconfirm: preconfirm.value } : {}),
      });
      listId.value = "";
      preconfirm.value = false;
      onAdded(result, chosen);
    } catch (caught) {
      error.value = caught;
    } finally {
      busy.value = false;
    }
  };

  return (
    <form class="add-to-list" onSubmit={add} aria-label="Add to a list">
      <Field
        id="add-list"
        label="Add to list"
        value={listId.value}
        onInput={(value) => (listId.value = value)}
        options={[
          { value: "", label: "Choose a list…" },
          ...choices.map((list) => ({ value: list.id, label: `${list.name} (${list.optIn} opt-in)` })),
        ]}
      />
      {chosen?.optIn === "double" && (
        <Checkbox
          id="add-list-preconfirm"
          label="Already confirmed (send no confirmation mail)"
          checked={preconfirm.value}
          onChange={(on) => (preconfirm.value = on)}
        />
      )}
      <button type="submit" class="button button--primary" disabled={!chosen || busy.value}>
        {busy.value ? "Adding…" : "Add"}
      </button>
      <ErrorBanner error={error.value} />
    </form>
  );
}

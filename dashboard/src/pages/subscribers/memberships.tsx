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
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { MembershipBadge } from "./status";

interface MembershipsProps {
  subscriber: SubscriberDetail;
  /** Every list, for "Add to list"; undefined while loading. */
  lists: List[] | undefined;
  editable: boolean;
  onChanged: (subscriber: SubscriberDetail) => void;
}

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
      <h2 id="lists-title">{t("subscribers.lists.title")}</h2>
      {subscriber.lists.length === 0 ? (
        <p class="muted">{t("subscribers.lists.none")}</p>
      ) : (
        <div class="table-wrap table-wrap--flat">
          <table class="table" aria-label={t("subscribers.lists.title")}>
            <thead>
              <tr>
                <th scope="col">{t("subscribers.lists.list")}</th>
                <th scope="col">{t("common.status")}</th>
                <th scope="col">{t("subscribers.lists.consent")}</th>
                <th scope="col">{t("subscribers.lists.times")}</th>
                {editable && (
                  <th scope="col" class="table__actions">
                    {t("common.actions")}
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
                      <dt>{t("subscribers.lists.source")}</dt>
                      <dd>{t(`subscribers.lists.sources.${membership.source}`)}</dd>
                      <dt>{t("subscribers.lists.ip")}</dt>
                      <dd>{membership.ip ?? "—"}</dd>
                      <dt>{t("subscribers.lists.userAgent")}</dt>
                      <dd>{membership.userAgent ?? "—"}</dd>
                    </dl>
                  </td>
                  <td>
                    <dl class="details details--times">
                      <dt>{t("subscribers.lists.consented")}</dt>
                      <dd>{formatDateTime(membership.consentedAt)}</dd>
                      <dt>{t("subscribers.lists.confirmed")}</dt>
                      <dd>{formatDateTime(membership.confirmedAt)}</dd>
                      <dt>{t("subscribers.lists.unsubscribed")}</dt>
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
                          {t("common.remove")}
                          <span class="visually-hidden">
                            {" "}
                            {t("subscribers.lists.removeFrom", { name: membership.listName })}
                          </span>
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
          onAdded={(result, list) => changed(result, t("subscribers.lists.addedTo", { name: list.name }))}
        />
      )}
      {removing.value && (
        <ConfirmDialog
          title={t("subscribers.lists.removeTitle")}
          confirmLabel={t("subscribers.lists.removeConfirm")}
          onClose={() => (removing.value = null)}
          onConfirm={async () => {
            const membership = removing.value;
            if (!membership) return;
            const result = await audience.subscribers.changeLists(subscriber.id, {
              remove: [membership.listId],
            });
            changed(result, t("subscribers.lists.removedFrom", { name: membership.listName }));
          }}
        >
          <p>
            <Trans
              k="subscribers.lists.removeBody"
              values={{ email: subscriber.email, list: removing.value.listName }}
              parts={[(text) => <strong>{text}</strong>, (text) => <strong>{text}</strong>]}
            />
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
    return (
      <p class="muted">{lists.length ? t("subscribers.lists.onEvery") : t("subscribers.lists.noneToAdd")}</p>
    );
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
    <form class="add-to-list" onSubmit={add} aria-label={t("subscribers.lists.addLabel")}>
      <Field
        id="add-list"
        label={t("subscribers.lists.addToList")}
        value={listId.value}
        onInput={(value) => (listId.value = value)}
        options={[
          { value: "", label: t("subscribers.lists.choose") },
          ...choices.map((list) => ({
            value: list.id,
            label: `${list.name} ${t(`subscribers.optIn.${list.optIn}`)}`,
          })),
        ]}
      />
      {chosen?.optIn === "double" && (
        <Checkbox
          id="add-list-preconfirm"
          label={t("subscribers.lists.preconfirm")}
          checked={preconfirm.value}
          onChange={(on) => (preconfirm.value = on)}
        />
      )}
      <button type="submit" class="button button--primary" disabled={!chosen || busy.value}>
        {busy.value ? t("subscribers.create.busy") : t("subscribers.lists.add")}
      </button>
      <ErrorBanner error={error.value} />
    </form>
  );
}

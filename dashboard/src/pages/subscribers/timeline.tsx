import { audience, type SubscriberEvent } from "../../api/audience";
import { ErrorBanner } from "../../components/error-banner";
import { formatDateTime } from "../../format";
import { usePager } from "../../hooks/use-pager";
import { hasKey, t } from "../../i18n";

/** What happened to and around this subscriber, newest first, loaded a page at a time. */
export function Timeline({ subscriberId }: { subscriberId: string }) {
  const pager = usePager(
    (cursor) => audience.subscribers.events(subscriberId, { limit: 50, cursor }),
    subscriberId,
  );
  const events = pager.rows.value;

  return (
    <section class="card" aria-labelledby="timeline-title" aria-busy={pager.loading.value}>
      <h2 id="timeline-title">{t("subscribers.timeline.title")}</h2>
      {events.length === 0 && !pager.loading.value && !pager.error.value && (
        <p class="muted">{t("subscribers.timeline.empty")}</p>
      )}
      {events.length > 0 && (
        <ol class="timeline" aria-label={t("subscribers.timeline.title")}>
          {events.map((event) => (
            <TimelineEntry key={event.id} event={event} />
          ))}
        </ol>
      )}
      <ErrorBanner error={pager.error.value} onRetry={pager.retry} />
      {pager.loading.value && <p class="muted">{t("common.loading")}</p>}
      {pager.nextCursor.value && !pager.loading.value && (
        <button type="button" class="button" onClick={pager.loadMore}>
          {t("subscribers.timeline.older")}
        </button>
      )}
    </section>
  );
}

/** An event kind in words ("open", "bounce"); a kind without words reads as its name. */
function kindName(kind: string): string {
  return hasKey(`subscribers.timeline.kind.${kind}`)
    ? t(`subscribers.timeline.kind.${kind}`)
    : kind.replaceAll("_", " ");
}

function TimelineEntry({ event }: { event: SubscriberEvent }) {
  return (
    <li class="timeline__entry">
      <time class="timeline__time nowrap" dateTime={event.occurredAt}>
        {formatDateTime(event.occurredAt)}
      </time>
      <div>
        <span class="badge">{kindName(event.kind)}</span> {event.name && <strong>{event.name}</strong>}
        {event.machine && (
          <span class="badge badge--muted" title={t("subscribers.timeline.machineHint")}>
            {t("subscribers.timeline.machine")}
          </span>
        )}
        <div class="timeline__meta muted">
          <Origin event={event} />
          {event.url && (
            <span class="timeline__url" title={event.url}>
              {event.url}
            </span>
          )}
          {event.client && <span>{event.client}</span>}
        </div>
      </div>
    </li>
  );
}

/** The campaign or workflow the event came from, by name, linked while it still exists. */
function Origin({ event }: { event: SubscriberEvent }) {
  return (
    <>
      {event.campaignId && (
        <span>
          {t("subscribers.timeline.campaign")}{" "}
          {event.campaignDeleted || !event.campaignName ? (
            <span class="muted">{t("subscribers.timeline.deletedCampaign")}</span>
          ) : (
            <a href={`/campaigns/${encodeURIComponent(event.campaignId)}`} title={event.campaignName}>
              {event.campaignName}
            </a>
          )}
          {event.campaignArchived && (
            <span class="badge badge--muted">{t("subscribers.timeline.archived")}</span>
          )}
        </span>
      )}
      {event.workflowId && (
        <span>
          {t("subscribers.timeline.workflow")}{" "}
          {event.workflowDeleted || !event.workflowName ? (
            <span class="muted">{t("subscribers.timeline.deletedWorkflow")}</span>
          ) : (
            <a href={`/workflows/${encodeURIComponent(event.workflowId)}`} title={event.workflowName}>
              {event.workflowName}
            </a>
          )}
        </span>
      )}
    </>
  );
}

/** One line about a node or the trigger, as its card on the canvas shows it. */
import type { NodeOf, WorkflowNode, WorkflowTrigger } from "../../api/workflows";
import { dateTimeFormat } from "../../format";
import { t } from "../../i18n";
import { type Lookups, nameOf } from "./lookups";

export const UNITS = [
  { unit: "weeks", seconds: 7 * 86_400 },
  { unit: "days", seconds: 86_400 },
  { unit: "hours", seconds: 3600 },
  { unit: "minutes", seconds: 60 },
  { unit: "seconds", seconds: 1 },
] as const;
export type Unit = (typeof UNITS)[number]["unit"];

/** A number of seconds in the largest unit that divides it: 172800 -> {2, "days"}. */
export function splitDuration(seconds: number): { amount: number; unit: Unit } {
  const fit = UNITS.find((entry) => seconds > 0 && seconds % entry.seconds === 0) ?? UNITS[4];
  return { amount: seconds / fit.seconds, unit: fit.unit };
}

/** "2 days", "1 hour", in the current language. */
export function formatDuration(seconds: number): string {
  const { amount, unit } = splitDuration(seconds);
  return t(`workflows.duration.${unit}`, { count: amount });
}

/** A weekday's name, 1 = Monday ... 7 = Sunday, from `Intl` in the current language. */
export function weekdayName(day: number, width: "short" | "long"): string {
  // 1 January 2024 was a Monday.
  return dateTimeFormat({ weekday: width, timeZone: "UTC" }).format(Date.UTC(2024, 0, day));
}

export function formatWeekdays(days: readonly number[] | undefined): string {
  if (!days || days.length === 0 || days.length === 7) return t("workflows.summary.anyDay");
  return [...days]
    .sort((a, b) => a - b)
    .map((day) => (day >= 1 && day <= 7 ? weekdayName(day, "short") : "?"))
    .join(t("workflows.summary.listSeparator"));
}

export function triggerSummary(trigger: WorkflowTrigger, lookups: Lookups): string {
  switch (trigger.type) {
    case "list_joined":
      return trigger.listId
        ? t("workflows.summary.joins", { name: nameOf(lookups.lists, trigger.listId) })
        : t("workflows.summary.joinsChoose");
    case "event":
      return trigger.name
        ? t("workflows.summary.event", { name: trigger.name })
        : t("workflows.summary.eventChoose");
    case "segment_entered":
      return trigger.segmentId
        ? t("workflows.summary.enters", { name: nameOf(lookups.segments, trigger.segmentId) })
        : t("workflows.summary.entersChoose");
    case "date_field": {
      if (!trigger.field) return t("workflows.summary.dateChoose");
      const time = trigger.time ?? "00:00";
      return trigger.offsetDays
        ? t("workflows.summary.eachYearOffset", {
            field: trigger.field,
            offset: offsetDays(trigger.offsetDays),
            time,
          })
        : t("workflows.summary.eachYear", { field: trigger.field, time });
    }
    case "campaign_activity":
      return trigger.campaignId
        ? t(trigger.activity === "opened" ? "workflows.summary.opens" : "workflows.summary.clicks", {
            name: nameOf(lookups.campaigns, trigger.campaignId),
          })
        : t("workflows.summary.campaignChoose");
  }
}

export function nodeSummary(node: WorkflowNode, lookups: Lookups): string {
  switch (node.type) {
    case "send":
      return node.templateId ? nameOf(lookups.templates, node.templateId) : t("workflows.summary.noTemplate");
    case "wait":
      return waitSummary(node);
    case "wait_event":
      return t(node.event ? "workflows.summary.waitEvent" : "workflows.summary.waitAnyEvent", {
        event: node.event,
        timeout: formatDuration(node.timeoutSeconds),
      });
    case "condition":
      return "sent" in node.rule
        ? t(node.rule.activity === "clicked" ? "workflows.summary.clicked" : "workflows.summary.opened", {
            step: String(node.rule.sent) || "…",
          })
        : t("workflows.summary.matchesRule");
    case "split":
      return node.weights.join(" / ");
    case "update":
      return updateSummary(node);
    case "webhook":
      return hostOf(node.url) || t("workflows.summary.noUrl");
    case "exit":
      return t("workflows.summary.exit");
  }
}

function waitSummary(node: NodeOf<"wait">): string {
  if (node.until)
    return t("workflows.summary.untilTime", {
      time: node.until.time,
      days: formatWeekdays(node.until.weekdays),
    });
  if (node.untilField) {
    return node.offsetDays
      ? t("workflows.summary.untilFieldOffset", {
          field: node.untilField,
          offset: offsetDays(node.offsetDays),
        })
      : t("workflows.summary.untilField", { field: node.untilField });
  }
  return node.seconds ? formatDuration(node.seconds) : t("workflows.summary.howLong");
}

function updateSummary(node: NodeOf<"update">): string {
  const fields = Object.keys(node.set ?? {}).length;
  const parts = [
    fields && t("workflows.summary.setsFields", { count: fields }),
    node.addLists?.length && t("workflows.summary.addsLists", { count: node.addLists.length }),
    node.removeLists?.length && t("workflows.summary.removesLists", { count: node.removeLists.length }),
  ].filter(Boolean);
  const text = parts.join(t("workflows.summary.listSeparator"));
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : t("workflows.summary.nothingToUpdate");
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** "+3 days", "-2 days": an offset from a date field. */
function offsetDays(n: number): string {
  return t("workflows.summary.offsetDays", { count: n, days: n > 0 ? `+${n}` : String(n) });
}

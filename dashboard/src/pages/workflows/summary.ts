/** One line about a node or the trigger, as its card on the canvas shows it. */
import type { NodeOf, WorkflowNode, WorkflowTrigger } from "../../api/workflows";
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

export function formatDuration(seconds: number): string {
  const { amount, unit } = splitDuration(seconds);
  return `${amount} ${amount === 1 ? unit.slice(0, -1) : unit}`;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export function formatWeekdays(days: readonly number[] | undefined): string {
  if (!days || days.length === 0 || days.length === 7) return "any day";
  return [...days]
    .sort((a, b) => a - b)
    .map((day) => WEEKDAYS[day - 1] ?? "?")
    .join(", ");
}

export function triggerSummary(trigger: WorkflowTrigger, lookups: Lookups): string {
  switch (trigger.type) {
    case "list_joined":
      return trigger.listId ? `Joins ${nameOf(lookups.lists, trigger.listId)}` : "Joins a list (choose one)";
    case "event":
      return trigger.name ? `Event “${trigger.name}”` : "A custom event (name it)";
    case "segment_entered":
      return trigger.segmentId
        ? `Enters ${nameOf(lookups.segments, trigger.segmentId)}`
        : "Enters a segment (choose one)";
    case "date_field": {
      const offset = trigger.offsetDays ? ` ${signed(trigger.offsetDays)} days` : "";
      return trigger.field
        ? `Each year on ${trigger.field}${offset}, ${trigger.time ?? "00:00"}`
        : "A date field (choose one)";
    }
    case "campaign_activity":
      return trigger.campaignId
        ? `${trigger.activity === "opened" ? "Opens" : "Clicks"} ${nameOf(lookups.campaigns, trigger.campaignId)}`
        : "Opens or clicks a campaign (choose one)";
  }
}

export function nodeSummary(node: WorkflowNode, lookups: Lookups): string {
  switch (node.type) {
    case "send":
      return node.templateId ? nameOf(lookups.templates, node.templateId) : "No template chosen";
    case "wait":
      return waitSummary(node);
    case "wait_event":
      return `${node.event ? `“${node.event}”` : "An event"}, or ${formatDuration(node.timeoutSeconds)}`;
    case "condition":
      return "sent" in node.rule
        ? `${node.rule.activity === "clicked" ? "Clicked" : "Opened"} ${String(node.rule.sent) || "…"}`
        : "Matches a segment rule";
    case "split":
      return node.weights.join(" / ");
    case "update":
      return updateSummary(node);
    case "webhook":
      return hostOf(node.url) || "No URL yet";
    case "exit":
      return "The run ends here";
  }
}

function waitSummary(node: NodeOf<"wait">): string {
  if (node.until) return `Until ${node.until.time}, ${formatWeekdays(node.until.weekdays)}`;
  if (node.untilField) {
    const offset = node.offsetDays ? ` ${signed(node.offsetDays)} days` : "";
    return `Until ${node.untilField}${offset}`;
  }
  return node.seconds ? formatDuration(node.seconds) : "How long? (choose)";
}

function updateSummary(node: NodeOf<"update">): string {
  const parts = [
    Object.keys(node.set ?? {}).length && `sets ${Object.keys(node.set ?? {}).length} field(s)`,
    node.addLists?.length && `adds to ${node.addLists.length} list(s)`,
    node.removeLists?.length && `removes from ${node.removeLists.length} list(s)`,
  ].filter(Boolean);
  const text = parts.join(", ");
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : "Nothing to update yet";
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

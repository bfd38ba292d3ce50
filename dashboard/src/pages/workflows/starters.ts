/**
 * The starting points "New workflow" offers, as data. Templates, lists, segments and fields are
 * left empty: they belong to each organisation, so the editor marks them until they are chosen.
 */
import type { WorkflowDoc } from "./model";

export interface Starter {
  key: string;
  name: string;
  description: string;
  doc: WorkflowDoc;
}

const DAY = 86_400;

const blank: Starter = {
  key: "blank",
  name: "Blank workflow",
  description: "A trigger and nothing else: add each step yourself.",
  doc: { name: "", trigger: { type: "event", name: "" }, reentry: "once", goal: null, nodes: [], edges: [] },
};

const welcome: Starter = {
  key: "welcome",
  name: "Welcome series",
  description: "Welcome new list members, then follow up depending on whether they opened it.",
  doc: {
    name: "Welcome series",
    trigger: { type: "list_joined", listId: "" },
    reentry: "once",
    goal: null,
    nodes: [
      { id: "welcome", type: "send", label: "Welcome email", templateId: "" },
      { id: "wait-2-days", type: "wait", seconds: 2 * DAY },
      {
        id: "opened-welcome",
        type: "condition",
        label: "Opened the welcome?",
        rule: { sent: "welcome", activity: "opened" },
      },
      { id: "tips", type: "send", label: "Getting started tips", templateId: "" },
      { id: "nudge", type: "send", label: "Second welcome", templateId: "" },
    ],
    edges: [
      { from: "welcome", to: "wait-2-days" },
      { from: "wait-2-days", to: "opened-welcome" },
      { from: "opened-welcome", to: "tips", branch: "yes" },
      { from: "opened-welcome", to: "nudge", branch: "no" },
    ],
  },
};

const abandonedCart: Starter = {
  key: "abandoned-cart",
  name: "Abandoned cart",
  description: "After a cart_abandoned event, wait for the order with the same cartId, else remind them.",
  doc: {
    name: "Abandoned cart",
    trigger: { type: "event", name: "cart_abandoned" },
    reentry: "always",
    goal: null,
    nodes: [
      {
        id: "wait-order",
        type: "wait_event",
        label: "Order placed?",
        event: "order_placed",
        match: { cartId: "{{ trigger.properties.cartId }}" },
        timeoutSeconds: 4 * 3600,
      },
      { id: "ordered", type: "exit", label: "Ordered" },
      { id: "reminder", type: "send", label: "Cart reminder", templateId: "" },
    ],
    edges: [
      { from: "wait-order", to: "ordered", branch: "event" },
      { from: "wait-order", to: "reminder", branch: "timeout" },
    ],
  },
};

const birthday: Starter = {
  key: "birthday",
  name: "Birthday",
  description: "Every year on a date field, at 9:00 in the subscriber's time zone, send a greeting.",
  doc: {
    name: "Birthday",
    trigger: { type: "date_field", field: "", offsetDays: 0, time: "09:00" },
    reentry: "always",
    goal: null,
    nodes: [{ id: "greeting", type: "send", label: "Birthday greeting", templateId: "" }],
    edges: [],
  },
};

const reengagement: Starter = {
  key: "re-engagement",
  name: "Re-engagement",
  description:
    "When someone enters an inactive segment, ask them back; if they do not click, tidy them off a list.",
  doc: {
    name: "Re-engagement",
    trigger: { type: "segment_entered", segmentId: "" },
    reentry: "after_exit",
    goal: null,
    nodes: [
      { id: "miss-you", type: "send", label: "We miss you", templateId: "" },
      { id: "wait-week", type: "wait", seconds: 7 * DAY },
      {
        id: "clicked",
        type: "condition",
        label: "Clicked?",
        rule: { sent: "miss-you", activity: "clicked" },
      },
      { id: "welcome-back", type: "exit", label: "Came back" },
      { id: "tidy-up", type: "update", label: "Remove from list", removeLists: [] },
    ],
    edges: [
      { from: "miss-you", to: "wait-week" },
      { from: "wait-week", to: "clicked" },
      { from: "clicked", to: "welcome-back", branch: "yes" },
      { from: "clicked", to: "tidy-up", branch: "no" },
    ],
  },
};

export const STARTERS: readonly Starter[] = [blank, welcome, abandonedCart, birthday, reengagement];

/** The starter named in `/workflows/new?start=…`, else the blank one. */
export function starterOf(key: string | undefined): Starter {
  return STARTERS.find((starter) => starter.key === key) ?? blank;
}

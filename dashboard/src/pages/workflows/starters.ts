/**
 * The starting points "New workflow" offers, as data, in the current language (their names and
 * step labels become the new workflow's, so they are built when asked for). Templates, lists, segments and fields are
 * left empty: they belong to each organisation, so the editor marks them until they are chosen.
 */
import { t } from "../../i18n";
import type { WorkflowDoc } from "./model";

export interface Starter {
  key: string;
  name: string;
  description: string;
  doc: WorkflowDoc;
}

const DAY = 86_400;

const blank = (): Starter => ({
  key: "blank",
  name: t("workflows.starters.blank.name"),
  description: t("workflows.starters.blank.description"),
  doc: { name: "", trigger: { type: "event", name: "" }, reentry: "once", goal: null, nodes: [], edges: [] },
});

const welcome = (): Starter => ({
  key: "welcome",
  name: t("workflows.starters.welcome.name"),
  description: t("workflows.starters.welcome.description"),
  doc: {
    name: t("workflows.starters.welcome.name"),
    trigger: { type: "list_joined", listId: "" },
    reentry: "once",
    goal: null,
    nodes: [
      {
        id: "welcome",
        type: "send",
        label: t("workflows.starters.welcome.steps.welcomeEmail"),
        templateId: "",
      },
      { id: "wait-2-days", type: "wait", seconds: 2 * DAY },
      {
        id: "opened-welcome",
        type: "condition",
        label: t("workflows.starters.welcome.steps.openedWelcome"),
        rule: { sent: "welcome", activity: "opened" },
      },
      { id: "tips", type: "send", label: t("workflows.starters.welcome.steps.tips"), templateId: "" },
      { id: "nudge", type: "send", label: t("workflows.starters.welcome.steps.nudge"), templateId: "" },
    ],
    edges: [
      { from: "welcome", to: "wait-2-days" },
      { from: "wait-2-days", to: "opened-welcome" },
      { from: "opened-welcome", to: "tips", branch: "yes" },
      { from: "opened-welcome", to: "nudge", branch: "no" },
    ],
  },
});

const abandonedCart = (): Starter => ({
  key: "abandoned-cart",
  name: t("workflows.starters.abandonedCart.name"),
  description: t("workflows.starters.abandonedCart.description"),
  doc: {
    name: t("workflows.starters.abandonedCart.name"),
    trigger: { type: "event", name: "cart_abandoned" },
    reentry: "always",
    goal: null,
    nodes: [
      {
        id: "wait-order",
        type: "wait_event",
        label: t("workflows.starters.abandonedCart.steps.orderPlaced"),
        event: "order_placed",
        match: { cartId: "{{ trigger.properties.cartId }}" },
        timeoutSeconds: 4 * 3600,
      },
      { id: "ordered", type: "exit", label: t("workflows.starters.abandonedCart.steps.ordered") },
      {
        id: "reminder",
        type: "send",
        label: t("workflows.starters.abandonedCart.steps.reminder"),
        templateId: "",
      },
    ],
    edges: [
      { from: "wait-order", to: "ordered", branch: "event" },
      { from: "wait-order", to: "reminder", branch: "timeout" },
    ],
  },
});

const birthday = (): Starter => ({
  key: "birthday",
  name: t("workflows.starters.birthday.name"),
  description: t("workflows.starters.birthday.description"),
  doc: {
    name: t("workflows.starters.birthday.name"),
    trigger: { type: "date_field", field: "", offsetDays: 0, time: "09:00" },
    reentry: "always",
    goal: null,
    nodes: [
      {
        id: "greeting",
        type: "send",
        label: t("workflows.starters.birthday.steps.greeting"),
        templateId: "",
      },
    ],
    edges: [],
  },
});

const reengagement = (): Starter => ({
  key: "re-engagement",
  name: t("workflows.starters.reengagement.name"),
  description: t("workflows.starters.reengagement.description"),
  doc: {
    name: t("workflows.starters.reengagement.name"),
    trigger: { type: "segment_entered", segmentId: "" },
    reentry: "after_exit",
    goal: null,
    nodes: [
      {
        id: "miss-you",
        type: "send",
        label: t("workflows.starters.reengagement.steps.missYou"),
        templateId: "",
      },
      { id: "wait-week", type: "wait", seconds: 7 * DAY },
      {
        id: "clicked",
        type: "condition",
        label: t("workflows.starters.reengagement.steps.clicked"),
        rule: { sent: "miss-you", activity: "clicked" },
      },
      { id: "welcome-back", type: "exit", label: t("workflows.starters.reengagement.steps.cameBack") },
      {
        id: "tidy-up",
        type: "update",
        label: t("workflows.starters.reengagement.steps.tidyUp"),
        removeLists: [],
      },
    ],
    edges: [
      { from: "miss-you", to: "wait-week" },
      { from: "wait-week", to: "clicked" },
      { from: "clicked", to: "welcome-back", branch: "yes" },
      { from: "clicked", to: "tidy-up", branch: "no" },
    ],
  },
});

/** Every starting point, blank first. */
export function starters(): readonly Starter[] {
  return [blank(), welcome(), abandonedCart(), birthday(), reengagement()];
}

/** The starter named in `/workflows/new?start=…`, else the blank one. */
export function starterOf(key: string | undefined): Starter {
  return starters().find((starter) => starter.key === key) ?? blank();
}

import { describe, expect, it, vi } from "vitest";
import {
  graphProblems,
  isPlausibleTimeZone,
  referencesOf,
  triggerPropertyRef,
  type WorkflowProblem,
} from "../../workers/contract/workflow-graph";
import {
  type WorkflowDefinition,
  WorkflowDefinitionSchema,
  type WorkflowEdge,
  type WorkflowNode,
} from "../../workers/contract/workflows";

/** The workflow graph check the API and the editor share: each rule failing, then passing. */

const LIST = "0190f0a4-8a1b-7c3d-9e2f-0123456789ab";
const LIST2 = "0190f0a4-8a1b-7c3d-9e2f-0123456789ac";
const TEMPLATE = "0190f0a4-8a1b-7c3d-9e2f-0123456789ad";
const SEGMENT = "0190f0a4-8a1b-7c3d-9e2f-0123456789ae";

const send = (id: string, templateId = TEMPLATE): WorkflowNode => ({ id, type: "send", templateId });
const wait = (id: string, seconds = 60): WorkflowNode => ({ id, type: "wait", seconds });
const exit = (id: string): WorkflowNode => ({ id, type: "exit" });
const update = (id: string): WorkflowNode => ({ id, type: "update", addLists: [LIST2] });
const opened = (id: string, sent: string): WorkflowNode => ({
  id,
  type: "condition",
  rule: { sent, activity: "opened" },
});
const waitEvent = (id: string, match?: Record<string, string | number | boolean>): WorkflowNode => ({
  id,
  type: "wait_event",
  event: "order_placed",
  timeoutSeconds: 3600,
  ...(match ? { match } : {}),
});
const split = (id: string, weights: number[]): WorkflowNode => ({ id, type: "split", weights });
const edge = (from: string, to: string, branch?: string): WorkflowEdge => ({
  from,
  to,
  ...(branch ? { branch } : {}),
});

function def(
  nodes: WorkflowNode[],
  edges: WorkflowEdge[],
  more: Partial<WorkflowDefinition> = {},
): WorkflowDefinition {
  return { trigger: { type: "list_joined", listId: LIST }, nodes, edges, ...more };
}
const check = (d: WorkflowDefinition, forActivation = false): WorkflowProblem[] =>
  graphProblems(d, { forActivation });
const messages = (d: WorkflowDefinition) => check(d).map((p) => p.message);

/** The welcome series: send, wait, opened? tips : nudge. */
const welcome = def(
  [send("welcome"), wait("wait"), opened("opened", "welcome"), send("tips"), send("nudge")],
  [
    edge("welcome", "wait"),
    edge("wait", "opened"),
    edge("opened", "tips", "yes"),
    edge("opened", "nudge", "no"),
  ],
);

describe("graphProblems: a sound workflow", () => {
  it("finds nothing in the welcome series, on save and on activation", () => {
    expect(WorkflowDefinitionSchema.safeParse(welcome).success).toBe(true);
    expect(check(welcome)).toEqual([]);
    expect(check(welcome, true)).toEqual([]);
  });
});

describe("graphProblems: ids and arrows", () => {
  it("names a repeated node id", () => {
    expect(check(def([send("a"), send("a")], []))).toContainEqual({
      nodeId: "a",
      path: "nodes[1].id",
      message: 'Node "a": another step has the same id; give each step its own',
    });
  });

  it("names an arrow to a step that does not exist, on the step it leaves", () => {
    const problems = check(def([send("a")], [edge("a", "ghost")]));
    expect(problems).toEqual([
      {
        nodeId: "a",
        path: "edges[0].to",
        message: 'Node "a": an arrow leads to "ghost", which is not a step of this workflow',
      },
    ]);
  });

  it("names an arrow from a step that does not exist", () => {
    const problems = check(def([send("a"), send("b")], [edge("a", "b"), edge("ghost", "b")]));
    expect(problems).toEqual([
      {
        nodeId: "b",
        path: "edges[1].from",
        message: 'An arrow starts at "ghost", which is not a step of this workflow',
      },
    ]);
  });
});

describe("graphProblems: the first step", () => {
  it("needs at least one step to activate, but a draft may be empty", () => {
    expect(check(def([], []), true)).toEqual([
      { nodeId: null, path: "nodes", message: "The workflow needs at least one step" },
    ]);
    expect(check(def([], []))).toEqual([]);
  });

  it("names every second step nothing leads to", () => {
    const problems = check(def([send("a"), send("b"), send("c")], [edge("a", "b")]));
    expect(problems).toEqual([
      {
        nodeId: "c",
        path: "nodes[2]",
        message:
          'Node "c": nothing leads to this step; connect it below another (only the first step, "a", starts on its own)',
      },
    ]);
  });

  it("says so when every step has an arrow into it", () => {
    const d = def([wait("a"), send("b")], [edge("a", "b"), edge("b", "a")]);
    expect(check(d)).toEqual([
      {
        nodeId: null,
        path: "edges",
        message: "Every step has an arrow leading into it, so the workflow has no first step",
      },
    ]);
  });
});

describe("graphProblems: reachability", () => {
  it("names each step no path from the first step reaches", () => {
    const d = def(
      [send("a"), send("b"), wait("c"), send("d")],
      [edge("a", "b"), edge("c", "d"), edge("d", "c")],
    );
    expect(check(d)).toEqual([
      { nodeId: "c", path: "nodes[2]", message: 'Node "c": no path from the first step leads to this step' },
      { nodeId: "d", path: "nodes[3]", message: 'Node "d": no path from the first step leads to this step' },
    ]);
  });

  it("accepts a step reached by one branch only", () => {
    expect(check(welcome).filter((p) => p.message.includes("no path"))).toEqual([]);
  });
});

describe("graphProblems: branches", () => {
  it("wants a yes and a no from a condition", () => {
    const d = def(
      [send("a"), opened("check", "a"), send("b")],
      [edge("a", "check"), edge("check", "b", "yes")],
    );
    expect(check(d)).toEqual([
      { nodeId: "check", path: "nodes[1]", message: 'Node "check": a condition needs a "no" branch' },
    ]);
  });

  it("refuses a label a condition does not take, and an unlabelled arrow from it", () => {
    const d = def(
      [send("a"), opened("check", "a"), send("b"), send("c")],
      [edge("a", "check"), edge("check", "b", "maybe"), edge("check", "c")],
    );
    expect(check(d).map((p) => [p.path, p.message])).toEqual([
      ["edges[1].branch", 'Node "check": "maybe" is not a branch of a condition (use "yes", "no")'],
      ["edges[2]", 'Node "check": every arrow from a condition needs a branch ("yes", "no")'],
      ["nodes[1]", 'Node "check": a condition needs a "yes" branch'],
      ["nodes[1]", 'Node "check": a condition needs a "no" branch'],
    ]);
  });

  it("refuses two arrows by the same branch", () => {
    const d = def(
      [send("a"), opened("check", "a"), send("b"), send("c"), send("d")],
      [edge("a", "check"), edge("check", "b", "yes"), edge("check", "c", "yes"), edge("check", "d", "no")],
    );
    expect(check(d)).toEqual([
      {
        nodeId: "check",
        path: "edges[2].branch",
        message: 'Node "check": two arrows leave by the "yes" branch; keep one',
      },
    ]);
  });

  it("wants an event and a timeout branch from a wait for an event", () => {
    const d = def([waitEvent("w"), send("b")], [edge("w", "b", "event")]);
    expect(messages(d)).toEqual(['Node "w": a wait-for-event step needs a "timeout" branch']);
    const ok = def(
      [waitEvent("w"), send("b"), send("c")],
      [edge("w", "b", "event"), edge("w", "c", "timeout")],
    );
    expect(check(ok)).toEqual([]);
  });

  it("wants one branch per weight from a split, numbered from 0", () => {
    const d = def(
      [split("ab", [50, 50]), send("b"), send("c")],
      [edge("ab", "b", "0"), edge("ab", "c", "2")],
    );
    expect(messages(d)).toEqual([
      'Node "ab": "2" is not a branch of a split (use "0", "1")',
      'Node "ab": a split needs a "1" branch (one per weight)',
    ]);
    const ok = def(
      [split("ab", [50, 50]), send("b"), send("c")],
      [edge("ab", "b", "0"), edge("ab", "c", "1")],
    );
    expect(check(ok)).toEqual([]);
  });

  it("lets one unlabelled arrow leave any other step", () => {
    const d = def([send("a"), send("b"), send("c")], [edge("a", "b"), edge("a", "c")]);
    expect(check(d)).toEqual([
      {
        nodeId: "a",
        path: "edges[1]",
        message: 'Node "a": only one arrow can leave a send step; use a condition or a split to branch',
      },
    ]);
    expect(messages(def([update("a"), send("b")], [edge("a", "b", "yes")]))).toEqual([
      'Node "a": an arrow from an update step takes no branch label ("yes")',
    ]);
    expect(check(def([update("a"), send("b")], [edge("a", "b")]))).toEqual([]);
  });

  it("lets nothing follow an exit", () => {
    expect(messages(def([exit("end"), send("b")], [edge("end", "b")]))).toEqual([
      'Node "end": nothing can follow an exit; remove the arrow',
    ]);
    expect(check(def([send("a"), exit("end")], [edge("a", "end")]))).toEqual([]);
  });
});

describe("graphProblems: loops", () => {
  it("names a loop with no wait in it, drawn step by step", () => {
    const d = def([send("s"), send("a"), update("b")], [edge("s", "a"), edge("a", "b"), edge("b", "a")]);
    expect(check(d)).toEqual([
      {
        nodeId: "a",
        path: "nodes[1]",
        message: 'Node "a": the loop "a" → "b" → "a" has no wait in it; add a wait step to the loop',
      },
    ]);
  });

  it("counts an arrow from a step to itself as a loop", () => {
    const d = def([send("s"), update("a")], [edge("s", "a"), edge("a", "a")]);
    expect(messages(d)).toEqual([
      'Node "a": the loop "a" → "a" has no wait in it; add a wait step to the loop',
    ]);
    expect(check(def([send("s"), wait("w")], [edge("s", "w"), edge("w", "w")]))).toEqual([]);
  });

  it("accepts a loop through a wait or a wait for an event", () => {
    const viaWait = def([send("s"), send("a"), wait("w")], [edge("s", "a"), edge("a", "w"), edge("w", "a")]);
    expect(check(viaWait)).toEqual([]);
    const viaEvent = def(
      [send("s"), waitEvent("w"), send("remind"), exit("done")],
      [edge("s", "w"), edge("w", "done", "event"), edge("w", "remind", "timeout"), edge("remind", "w")],
    );
    expect(check(viaEvent)).toEqual([]);
  });

  it("finds a loop without a wait beside one with a wait through the same step", () => {
    // a -> w -> a is fine; a -> check -> a (its "no" branch) has no wait.
    const d = def(
      [send("s"), update("a"), opened("check", "s"), wait("w")],
      [
        edge("s", "a"),
        edge("a", "check"),
        edge("check", "w", "yes"),
        edge("check", "a", "no"),
        edge("w", "a"),
      ],
    );
    expect(messages(d)).toEqual([
      'Node "a": the loop "a" → "check" → "a" has no wait in it; add a wait step to the loop',
    ]);
  });

  it("cuts a long loop short in the message", () => {
    const ids = ["a", "b", "c", "d", "e", "f", "g", "h"];
    const nodes = [send("s"), ...ids.map((id) => update(id))];
    const edges = [edge("s", "a"), ...ids.map((id, k) => edge(id, ids[(k + 1) % ids.length] ?? "a"))];
    expect(messages(def(nodes, edges))).toEqual([
      'Node "a": the loop "a" → "b" → "c" → "d" → "e" → "f" → … has no wait in it; add a wait step to the loop',
    ]);
  });
});

describe("graphProblems: size", () => {
  it("checks 500 steps in a row, and a loop through all of them, without running out of stack", () => {
    const ids = Array.from({ length: 500 }, (_, k) => `n${k}`);
    const chain = def(
      ids.map((id) => update(id)),
      ids.slice(1).map((id, k) => edge(ids[k] ?? "", id)),
    );
    expect(check(chain, true)).toEqual([]);
    const looped = def([send("s"), ...chain.nodes], [edge("s", "n0"), ...chain.edges, edge("n499", "n0")]);
    expect(check(looped).map((p) => p.nodeId)).toEqual(["n0"]);
  });
});

describe("graphProblems: wait steps", () => {
  const one = (n: WorkflowNode) => check(def([n], []));

  it("wants exactly one way to wait", () => {
    expect(one({ id: "w", type: "wait" })).toEqual([
      {
        nodeId: "w",
        path: "nodes[0]",
        message: 'Node "w": say how long to wait: a duration, a time of day, or a date field',
      },
    ]);
    expect(one({ id: "w", type: "wait", seconds: 60, untilField: "renewal" }).map((p) => p.message)).toEqual([
      'Node "w": choose one way to wait: a duration, a time of day or a date field, not several',
    ]);
    expect(one({ id: "w", type: "wait", seconds: 60 })).toEqual([]);
    expect(one({ id: "w", type: "wait", until: { time: "09:00", weekdays: [1, 2] } })).toEqual([]);
    expect(one({ id: "w", type: "wait", untilField: "renewal", offsetDays: -3 })).toEqual([]);
  });

  it("takes a day offset only with a date field", () => {
    expect(one({ id: "w", type: "wait", seconds: 60, offsetDays: 2 })).toEqual([
      {
        nodeId: "w",
        path: "nodes[0].offsetDays",
        message: 'Node "w": a day offset only applies when waiting for a date field',
      },
    ]);
  });

  it("takes the subscriber's zone, UTC or a real zone name", () => {
    const at = (timezone: string) => one({ id: "w", type: "wait", until: { time: "09:00", timezone } });
    expect(at("Mars/Olympus_Mons")).toEqual([
      {
        nodeId: "w",
        path: "nodes[0].until.timezone",
        message:
          'Node "w": "Mars/Olympus_Mons" is not a time zone; use "subscriber" or a name like "Europe/Berlin"',
      },
    ]);
    for (const bad of ["berlin", "+05:00", "EST", ""]) expect(at(bad)).toHaveLength(1);
    // Both spellings: V8 lists "Asia/Calcutta", Firefox "Asia/Kolkata".
    for (const good of [
      "subscriber",
      "UTC",
      "Europe/Berlin",
      "America/Argentina/Buenos_Aires",
      "Asia/Kolkata",
      "Asia/Calcutta",
    ])
      expect(at(good)).toEqual([]);
  });

  it("still accepts real zones on a runtime without Intl.supportedValuesOf", async () => {
    const intl = Intl as { supportedValuesOf?: unknown };
    const original = intl.supportedValuesOf;
    delete intl.supportedValuesOf;
    try {
      vi.resetModules();
      const fresh = await import("../../workers/contract/workflow-graph");
      expect(fresh.isPlausibleTimeZone("Europe/Berlin")).toBe(true);
      expect(fresh.isPlausibleTimeZone("UTC")).toBe(true);
      expect(fresh.isPlausibleTimeZone("Mars/Olympus_Mons")).toBe(false);
    } finally {
      intl.supportedValuesOf = original;
    }
    expect(isPlausibleTimeZone("Europe/Berlin")).toBe(true);
  });
});

describe("graphProblems: conditions on an earlier send", () => {
  it("wants the send to exist and to be a send", () => {
    const ghost = def(
      [send("a"), opened("check", "nope"), send("b"), send("c")],
      [edge("a", "check"), edge("check", "b", "yes"), edge("check", "c", "no")],
    );
    expect(check(ghost)).toEqual([
      {
        nodeId: "check",
        path: "nodes[1].rule.sent",
        message: 'Node "check": it asks about "nope", which is not a step of this workflow',
      },
    ]);
    const notSend = def(
      [wait("a"), opened("check", "a"), send("b"), send("c")],
      [edge("a", "check"), edge("check", "b", "yes"), edge("check", "c", "no")],
    );
    expect(messages(notSend)).toEqual(['Node "check": it asks about "a", which is not a send step']);
  });

  it("wants the send to come before the condition on some path", () => {
    // "other" is on the other branch of the split: it never comes before "check".
    const d = def(
      [split("ab", [1, 1]), send("mine"), send("other"), opened("check", "other"), exit("x"), exit("y")],
      [
        edge("ab", "mine", "0"),
        edge("ab", "other", "1"),
        edge("mine", "check"),
        edge("check", "x", "yes"),
        edge("check", "y", "no"),
      ],
    );
    expect(messages(d)).toEqual([
      'Node "check": it asks about "other", but that send never comes before this step',
    ]);
    const fixed = structuredClone(d);
    fixed.nodes[3] = opened("check", "mine");
    expect(check(fixed)).toEqual([]);
  });
});

describe("graphProblems: wait_event match values", () => {
  const byEvent = (match: Record<string, string | number | boolean>) =>
    def([waitEvent("w", match), send("b"), send("c")], [edge("w", "b", "event"), edge("w", "c", "timeout")], {
      trigger: { type: "event", name: "cart_abandoned" },
    });

  it("takes literals and exactly one trigger property reference", () => {
    expect(check(byEvent({ cartId: "{{ trigger.properties.cartId }}", currency: "EUR", qty: 2 }))).toEqual(
      [],
    );
    expect(check(byEvent({ cartId: "{{trigger.properties.cartId}}" }))).toEqual([]);
    expect(check(byEvent({ cartId: "{{   trigger.properties.cart_id   }}" }))).toEqual([]);
  });

  it("refuses anything else with {{ in it", () => {
    expect(check(byEvent({ cartId: "{{ subscriber.email }}" }))).toEqual([
      {
        nodeId: "w",
        path: "nodes[0].match.cartId",
        message:
          'Node "w": the value for "cartId" must be plain text or exactly {{ trigger.properties.<name> }}',
      },
    ]);
    expect(check(byEvent({ "cart id": "cart-{{ trigger.properties.cartId }}" }))[0]?.path).toBe(
      'nodes[0].match["cart id"]',
    );
    expect(check(byEvent({ a: "{{ trigger.properties.a }}{{ trigger.properties.b }}" }))).toHaveLength(1);
  });

  it("refuses a trigger property when the workflow does not start from an event", () => {
    const d = def(
      [waitEvent("w", { cartId: "{{ trigger.properties.cartId }}" }), send("b"), send("c")],
      [edge("w", "b", "event"), edge("w", "c", "timeout")],
    );
    expect(messages(d)).toEqual([
      'Node "w": "cartId" reads the trigger event\'s "cartId", but this workflow does not start from an event',
    ]);
  });

  it("reads the property name of a reference", () => {
    expect(triggerPropertyRef("{{ trigger.properties.cartId }}")).toBe("cartId");
    expect(triggerPropertyRef("cartId")).toBeNull();
    expect(triggerPropertyRef(7)).toBeNull();
  });
});

describe("graphProblems: split weights", () => {
  const alone = (weights: number[]) =>
    check(
      def(
        [split("ab", weights), ...weights.map((_, k) => send(`s${k}`))],
        weights.map((_, k) => edge("ab", `s${k}`, String(k))),
      ),
    );

  it("wants 2 to 10 weights adding up to more than 0", () => {
    expect(alone([100])).toEqual([
      { nodeId: "ab", path: "nodes[0].weights", message: 'Node "ab": a split needs 2 to 10 weights' },
    ]);
    expect(alone(Array.from({ length: 11 }, () => 1)).map((p) => p.message)).toEqual([
      'Node "ab": a split needs 2 to 10 weights',
    ]);
    expect(alone([0, 0]).map((p) => p.message)).toEqual([
      'Node "ab": the weights add up to 0; give at least one branch a weight',
    ]);
    expect(alone([0, 1])).toEqual([]);
    expect(alone([10, 20, 70])).toEqual([]);
  });
});

describe("referencesOf", () => {
  it("collects every template, list, segment, field and campaign once, in order of mention", () => {
    const d = def(
      [
        send("a"),
        send("b"),
        { id: "w", type: "wait", untilField: "renewal" },
        {
          id: "check",
          type: "condition",
          rule: {
            and: [
              { field: "age", op: "gt", value: 30 },
              { not: { or: [{ list: LIST2 }, { field: "plan", op: "isSet" }] } },
            ],
          },
        },
        { id: "u", type: "update", addLists: [LIST], removeLists: [LIST2], set: { plan: "pro", score: 3 } },
        opened("o", "a"),
      ],
      [],
      { goal: { and: [{ list: LIST }, { field: "vip", op: "eq", value: true }] } },
    );
    expect(referencesOf(d)).toEqual({
      templateIds: [TEMPLATE],
      listIds: [LIST, LIST2],
      segmentIds: [],
      fieldKeys: ["vip", "renewal", "age", "plan", "score"],
      campaignIds: [],
    });
  });

  it("reads the trigger, and no rule from an event goal", () => {
    const bySegment = def([], [], {
      trigger: { type: "segment_entered", segmentId: SEGMENT },
      goal: { event: "paid" },
    });
    expect(referencesOf(bySegment).segmentIds).toEqual([SEGMENT]);
    const byDate = def([], [], { trigger: { type: "date_field", field: "birthday" } });
    expect(referencesOf(byDate).fieldKeys).toEqual(["birthday"]);
    const byCampaign = def([], [], {
      trigger: { type: "campaign_activity", campaignId: SEGMENT, activity: "clicked" },
    });
    expect(referencesOf(byCampaign).campaignIds).toEqual([SEGMENT]);
  });
});

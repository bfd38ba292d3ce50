import { describe, expect, it } from "vitest";
import { ApiError } from "../../dashboard/src/api/errors";
import {
  deleteNode,
  entryOf,
  insertNode,
  removeSplitBranch,
} from "../../dashboard/src/pages/workflows/graph-edit";
import { applyEdit, redo, startState, undo } from "../../dashboard/src/pages/workflows/history";
import {
  type FlowEdge,
  type FlowNode,
  layoutFlow,
  NODE_H,
  NODE_W,
} from "../../dashboard/src/pages/workflows/layout";
import { branchesOf, branchLabel, type WorkflowDoc } from "../../dashboard/src/pages/workflows/model";
import { checkDoc, place, serverProblems } from "../../dashboard/src/pages/workflows/problems";
import { starters } from "../../dashboard/src/pages/workflows/starters";

/** The workflow editor's pure parts: the layout, the edits of the flow's shape, and undo. */

const base: WorkflowDoc = {
  name: "Test",
  trigger: { type: "event", name: "signed_up" },
  reentry: "once",
  goal: null,
  nodes: [],
  edges: [],
};

function lay(doc: WorkflowDoc) {
  const nodes: FlowNode[] = doc.nodes.map((node) => ({
    id: node.id,
    branches: branchesOf(node).map((key) => ({ key, label: branchLabel(node, key) })),
  }));
  return layoutFlow(nodes, doc.edges as FlowEdge[], entryOf(doc));
}

function overlaps(points: { x: number; y: number }[]): boolean {
  return points.some((a, i) =>
    points.some((b, j) => j > i && Math.abs(a.x - b.x) < NODE_W && Math.abs(a.y - b.y) < NODE_H),
  );
}

/** 66 blocks of split -> (send -> wait | wait) joined at the wait, then a wait and an exit. */
function chainOfJoins(): WorkflowDoc {
  const nodes: WorkflowDoc["nodes"] = [];
  const edges: WorkflowDoc["edges"] = [];
  for (let block = 0; block < 66; block++) {
    nodes.push({ id: `split-${block}`, type: "split", weights: [50, 50] });
    nodes.push({ id: `send-${block}`, type: "send", templateId: "t" });
    nodes.push({ id: `wait-${block}`, type: "wait", seconds: 60 });
    edges.push(
      { from: `split-${block}`, to: `send-${block}`, branch: "0" },
      { from: `split-${block}`, to: `wait-${block}`, branch: "1" },
      { from: `send-${block}`, to: `wait-${block}` },
    );
    if (block > 0) edges.push({ from: `wait-${block - 1}`, to: `split-${block}` });
  }
  nodes.push({ id: "end", type: "exit" });
  edges.push({ from: "wait-65", to: "end" });
  return { ...base, nodes, edges };
}

describe("workflow layout", () => {
  it("draws every starting point with no two steps overlapping and every step below what leads to it", () => {
    for (const starter of starters()) {
      const layout = lay(starter.doc);
      const points = [...layout.nodes.values()];
      expect(overlaps([layout.trigger, ...points]), starter.key).toBe(false);
      for (const edge of starter.doc.edges) {
        expect(layout.nodes.get(edge.to)?.y ?? 0).toBeGreaterThan(layout.nodes.get(edge.from)?.y ?? 0);
      }
    }
  });

  it("puts a condition's branches apart, labelled, and an empty branch gets its own '+'", () => {
    const welcome = starters().find((starter) => starter.key === "welcome")?.doc ?? base;
    const layout = lay(welcome);
    expect(layout.nodes.get("tips")?.x).not.toBe(layout.nodes.get("nudge")?.x);
    const labels = layout.links.flatMap((link) => (link.label ? [link.label.text] : []));
    expect(labels).toEqual(expect.arrayContaining(["Yes", "No"]));
    const cart = lay(starters().find((starter) => starter.key === "abandoned-cart")?.doc ?? base);
    expect(cart.links.filter((link) => link.kind === "empty").map((link) => link.from)).toEqual(["reminder"]);
  });

  it("keeps a long chain of branches that join again two columns wide and lays 200 steps out fast", () => {
    const doc = chainOfJoins();
    const started = performance.now();
    const layout = lay(doc);
    const took = performance.now() - started;
    expect(layout.width).toBeLessThanOrEqual(2 * (NODE_W + 36));
    expect(overlaps([...layout.nodes.values()])).toBe(false);
    // A join sits below both of its branches.
    expect(layout.nodes.get("wait-3")?.y).toBeGreaterThan(layout.nodes.get("send-3")?.y ?? Infinity);
    expect(took).toBeLessThan(200);
  });

  it("draws a loop back up as a loop, not as a step above itself", () => {
    const doc: WorkflowDoc = {
      ...base,
      nodes: [
        { id: "a", type: "send", templateId: "t" },
        { id: "w", type: "wait", seconds: 60 },
      ],
      edges: [
        { from: "a", to: "w" },
        { from: "w", to: "a" },
      ],
    };
    const layout = lay(doc);
    expect(layout.links.find((link) => link.from === "w")?.kind).toBe("loop");
  });
});

describe("workflow shape edits", () => {
  it("inserts under the trigger, on an edge and on an empty branch", () => {
    let doc = insertNode(base, { from: null }, "send").doc;
    expect(entryOf(doc)).toBe("send-1");
    doc = insertNode(doc, { from: null, to: "send-1" }, "wait").doc;
    expect(entryOf(doc)).toBe("wait-2");
    expect(doc.edges).toEqual([{ from: "wait-2", to: "send-1" }]);
    const condition = insertNode(doc, { from: "wait-2", to: "send-1" }, "condition");
    expect(condition.doc.edges).toEqual(
      expect.arrayContaining([
        { from: "wait-2", to: "condition-3" },
        { from: "condition-3", to: "send-1", branch: "yes" },
      ]),
    );
    const onNo = insertNode(condition.doc, { from: "condition-3", branch: "no" }, "exit").doc;
    expect(onNo.edges).toContainEqual({ from: "condition-3", to: "exit-4", branch: "no" });
  });

  it("deletes a step and reconnects its one child; a branch point takes what only its other branches reached", () => {
    const welcome = starters().find((starter) => starter.key === "welcome")?.doc ?? base;
    const noWait = deleteNode(welcome, "wait-2-days");
    expect(noWait.edges).toContainEqual({ from: "welcome", to: "opened-welcome" });
    const noCondition = deleteNode(welcome, "opened-welcome");
    expect(noCondition.nodes.map((node) => node.id)).toEqual(["welcome", "wait-2-days", "tips"]);
    expect(noCondition.edges).toContainEqual({ from: "wait-2-days", to: "tips" });
  });

  it("removes a split branch and renumbers the ones after it", () => {
    let doc = insertNode(base, { from: null }, "split").doc;
    doc = {
      ...doc,
      nodes: doc.nodes.map((node) => (node.type === "split" ? { ...node, weights: [1, 1, 1] } : node)),
    };
    doc = insertNode(doc, { from: "split-1", branch: "1" }, "send").doc;
    doc = insertNode(doc, { from: "split-1", branch: "2" }, "exit").doc;
    const after = removeSplitBranch(doc, "split-1", 1);
    expect(after.nodes.map((node) => node.id)).toEqual(["split-1", "exit-3"]);
    expect(after.edges).toEqual([{ from: "split-1", to: "exit-3", branch: "1" }]);
  });
});

describe("workflow editor history", () => {
  it("merges typing in one input into one undo step, and undo and redo change the revision", () => {
    let state = startState(base);
    state = applyEdit(state, { ...base, name: "T" }, "name", 1000);
    state = applyEdit(state, { ...base, name: "Te" }, "name", 1500);
    expect(state.past).toHaveLength(1);
    expect(state.revision).toBe(0);
    state = applyEdit(state, { ...base, name: "Te", reentry: "always" }, "reentry", 1600);
    expect(state.past).toHaveLength(2);
    state = undo(state);
    expect(state.doc.reentry).toBe("once");
    expect(state.revision).toBe(1);
    state = undo(state);
    expect(state.doc.name).toBe("Test");
    state = redo(redo(state));
    expect(state.doc).toMatchObject({ name: "Te", reentry: "always" });
  });
  it("keeps typing in one focused input one step however slow the keys, and a new focus starts a step", () => {
    let state = startState(base);
    state = applyEdit(state, { ...base, name: "T" }, "name", 1000, 7);
    // Five seconds later (the page stalled), still the same focus: the same step.
    state = applyEdit(state, { ...base, name: "Te" }, "name", 6000, 7);
    expect(state.past).toHaveLength(1);
    // The input left and came back: a new step, however soon.
    state = applyEdit(state, { ...base, name: "Tes" }, "name", 6100, 8);
    expect(state.past).toHaveLength(2);
    expect(undo(state).doc.name).toBe("Te");
  });
});

describe("workflow problems", () => {
  it("marks what a starting point leaves to choose, on the trigger and on each step", () => {
    const welcome = starters().find((starter) => starter.key === "welcome")?.doc ?? base;
    const { placed, blocking } = checkDoc(welcome, new Set());
    expect(placed.get("trigger")).toEqual(["Choose the list that starts the workflow."]);
    for (const id of ["welcome", "tips", "nudge"]) expect(placed.get(id)).toEqual(["Choose a template."]);
    expect(blocking).toBe(4);
  });

  it("shows the graph check's problems on their node without naming it again, and a missing branch", () => {
    let doc = insertNode({ ...base, name: "x" }, { from: null }, "condition").doc;
    doc = insertNode(doc, { from: "condition-1", branch: "yes" }, "exit").doc;
    const { placed } = checkDoc(doc, new Set());
    const messages = placed.get("condition-1") ?? [];
    expect(messages).toContain("Add a condition to the rule.");
    expect(messages.some((message) => message.includes('"no" branch') && !message.startsWith("Node"))).toBe(
      true,
    );
  });

  it("places a 422's problems by node id, and the rest on the trigger or in the banner", () => {
    const doc = insertNode({ ...base, name: "x" }, { from: null }, "send").doc;
    const error = new ApiError({
      status: 422,
      code: "rule_violation",
      message: "The workflow is not valid",
      details: {
        code: "invalid_workflow",
        problems: [
          {
            nodeId: "send-1",
            path: "nodes[0].templateId",
            message: 'Node "send-1": the template has no unsubscribe link',
          },
          { nodeId: null, path: "trigger.name", message: "No workflow may start on this event" },
          { nodeId: null, path: "nodes", message: "Something about the whole workflow" },
        ],
      },
    });
    const placed = place(serverProblems(error, doc) ?? [], doc);
    expect(placed.get("send-1")).toEqual(["the template has no unsubscribe link"]);
    expect(placed.get("trigger")).toEqual(["No workflow may start on this event"]);
    expect(placed.get("workflow")).toEqual(["Something about the whole workflow"]);
  });
});

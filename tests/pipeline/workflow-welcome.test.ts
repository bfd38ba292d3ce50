import { beforeAll, describe, expect, it } from "vitest";
import { api, ownerLogin, stack } from "../support/api";
import { mailDetail, mailTo, waitForMail } from "../support/mailbox";

/**
 * A welcome series end to end on the shared stack, through the real queues, the timer Durable
 * Objects and the dev mailbox: subscribe, send A, wait a few seconds, and if A was opened by a
 * person send B, else C. The list join is seen by the cron ticker (fired here as wrangler's
 * scheduled endpoint, as the dev launcher does every minute).
 */

const tag = Math.random().toString(36).slice(2, 8);
let token = "";
let workflowId = "";
let listId = "";
const templates: Record<"a" | "b" | "c", string> = { a: "", b: "", c: "" };
const ann = `ann-${tag}@welcome.example.com`;
const bob = `bob-${tag}@welcome.example.com`;
const BROWSER =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";

const cron = () => fetch(`${stack().baseUrl}/cdn-cgi/local/scheduled`).then((r) => r.text());

async function template(key: "a" | "b" | "c") {
  const res = await api<{ id: string }>("POST", "/api/v1/templates", {
    token,
    body: {
      name: `welcome ${key} ${tag}`,
      kind: "campaign",
      subject: `Welcome ${key.toUpperCase()} ${tag}`,
      html: `<p>Hello {{ subscriber.email }}</p><p><a href="https://example.com/${key}">Read</a></p><a href="{{ unsubscribe_url }}">Unsubscribe</a>`,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  for (const key of ["a", "b", "c"] as const) templates[key] = await template(key);
  const list = await api<{ id: string }>("POST", "/api/v1/lists", {
    token,
    body: { name: `welcome ${tag}` },
  });
  listId = list.body.id;
  const wf = await api<{ id: string }>("POST", "/api/v1/workflows", {
    token,
    body: {
      name: `Welcome series ${tag}`,
      trigger: { type: "list_joined", listId },
      nodes: [
        { id: "a", type: "send", templateId: templates.a, fromEmail: "hello@welcome.example.com" },
        { id: "wait", type: "wait", seconds: 8 },
        { id: "opened", type: "condition", rule: { sent: "a", activity: "opened" } },
        { id: "b", type: "send", templateId: templates.b, fromEmail: "hello@welcome.example.com" },
        { id: "c", type: "send", templateId: templates.c, fromEmail: "hello@welcome.example.com" },
      ],
      edges: [
        { from: "a", to: "wait" },
        { from: "wait", to: "opened" },
        { from: "opened", to: "b", branch: "yes" },
        { from: "opened", to: "c", branch: "no" },
      ],
    },
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  workflowId = wf.body.id;
  const active = await api("POST", `/api/v1/workflows/${workflowId}/activate`, { token });
  expect(active.status, JSON.stringify(active.body)).toBe(200);
});

describe("a welcome series through the queues, the timers and the mailbox", () => {
  it("sends A on joining, B to who opened it and C to who did not, once each", async () => {
    for (const email of [ann, bob]) {
      const res = await api("POST", "/api/v1/subscribers", { token, body: { email, listIds: [listId] } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    await cron();
    const [first] = await waitForMail(ann, 1, 30_000);
    await waitForMail(bob, 1, 30_000);
    expect(first?.subject).toBe(`Welcome A ${tag}`);
    const detail = await mailDetail(first?.id ?? "");
    const pixel = /(https?:\/\/[^"]+\/o\/[A-Za-z0-9_-]+)/.exec(detail.html)?.[1];
    expect(pixel, "A carries an open pixel").toBeTruthy();
    expect(detail.html).toMatch(/\/u\//);
    // A person opens A (a browser, not a privacy proxy) before the wait is over.
    const opened = await fetch(pixel ?? "", { headers: { "user-agent": BROWSER } });
    expect(opened.status).toBe(200);
    await expect
      .poll(
        async () => {
          const stats = await api<{ nodes: { nodeId: string; opens?: number }[] }>(
            "GET",
            `/api/v1/workflows/${workflowId}/stats`,
            { token },
          );
          return stats.body.nodes.find((n) => n.nodeId === "a")?.opens;
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    const annMail = await waitForMail(ann, 2, 40_000);
    const bobMail = await waitForMail(bob, 2, 40_000);
    expect(annMail.map((m) => m.subject).sort()).toEqual([`Welcome A ${tag}`, `Welcome B ${tag}`]);
    expect(bobMail.map((m) => m.subject).sort()).toEqual([`Welcome A ${tag}`, `Welcome C ${tag}`]);
    // Nothing more arrives: the cron's safety net and the timers do not send again.
    await cron();
    await new Promise((r) => setTimeout(r, 3000));
    expect((await mailTo(ann)).length).toBe(2);
    expect((await mailTo(bob)).length).toBe(2);
  });

  it("shows the path, the per-node counts and the run counts", async () => {
    const stats = await api<{
      counts: Record<string, number>;
      nodes: { nodeId: string; passed: number; sent?: number }[];
    }>("GET", `/api/v1/workflows/${workflowId}/stats`, { token });
    expect(stats.body.counts).toMatchObject({ entered: 2, active: 0, completed: 2 });
    const at = (id: string) => stats.body.nodes.find((n) => n.nodeId === id);
    expect(at("a")).toMatchObject({ passed: 2, sent: 2 });
    expect(at("b")).toMatchObject({ passed: 1, sent: 1 });
    expect(at("c")).toMatchObject({ passed: 1, sent: 1 });
    const runs = await api<{ data: { id: string; email: string; status: string }[] }>(
      "GET",
      `/api/v1/workflows/${workflowId}/instances?status=completed`,
      { token },
    );
    const annRun = runs.body.data.find((r) => r.email === ann);
    const detail = await api<{ steps: { nodeId: string; outcome: string }[] }>(
      "GET",
      `/api/v1/workflows/${workflowId}/instances/${annRun?.id}`,
      { token },
    );
    expect(detail.body.steps.map((s) => `${s.nodeId}:${s.outcome}`)).toEqual([
      "a:queued",
      "wait:waited",
      "opened:yes",
      "b:queued",
    ]);
  });
});

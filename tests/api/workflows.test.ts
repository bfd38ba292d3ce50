import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { api, ownerLogin, userWithRole } from "../support/api";
import { WORKFLOW_WEBHOOK_SECRET } from "../support/global-setup";

/**
 * The workflows API: validation errors that name the node, roles, versions, lifecycle conflicts,
 * the events endpoint (unknown addresses ignored), the audit trail, and a webhook node's call
 * verified by an independent Standard Webhooks library.
 */

const tag = Math.random().toString(36).slice(2, 8);
let token = "";

const eventName = (n: string) => `${n}_${tag}`;

/** A local receiver: answers with `statuses` in turn (then 200) and keeps what it got. */
function receiver(statuses: number[] = []) {
  const got: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end("ok");
    });
  });
  return {
    got,
    async start() {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    },
    stop: () => new Promise((r) => server.close(r)),
  };
}

const simple = (
  name: string,
  nodes: unknown[] = [{ id: "w", type: "wait", seconds: 60 }],
  edges: unknown[] = [],
) => ({
  name: `api ${name} ${tag}`,
  trigger: { type: "event", name: eventName(name) },
  nodes,
  edges,
});

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  const t = await api<{ id: string }>("POST", "/api/v1/templates", {
    token,
    body: {
      name: `api wf ${tag}`,
      kind: "campaign",
      subject: "Hi",
      html: '<p>Hi</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
    },
  });
  expect(t.status).toBe(201);
});

describe("validation", () => {
  it("a 422 names the node of each problem", async () => {
    const res = await api("POST", "/api/v1/workflows", {
      token,
      body: simple(
        "invalid",
        [
          { id: "check", type: "condition", rule: { sent: "mail", activity: "opened" } },
          { id: "mail", type: "send", templateId: "00000000-0000-7000-8000-000000000000" },
          { id: "lost", type: "exit" },
        ],
        [{ from: "check", to: "mail", branch: "yes" }],
      ),
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.code).toBe("invalid_workflow");
    const problems = res.body.error.details.problems as { nodeId: string | null; message: string }[];
    const nodes = new Set(problems.map((p) => p.nodeId));
    expect(nodes).toContain("check");
    expect(nodes).toContain("mail");
    expect(problems.find((p) => p.nodeId === "check")?.message).toMatch(/"no"/);
    expect(problems.find((p) => p.nodeId === "mail")?.message).toMatch(/template/i);
  });

  it("a template without an unsubscribe link cannot be sent by a workflow", async () => {
    const t = await api<{ id: string }>("POST", "/api/v1/templates", {
      token,
      body: { name: `no unsub ${tag}`, kind: "transactional", subject: "Hi", html: "<p>Hi</p>" },
    });
    const res = await api("POST", "/api/v1/workflows", {
      token,
      body: simple("nounsub", [{ id: "mail", type: "send", templateId: t.body.id }]),
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems[0]).toMatchObject({ nodeId: "mail" });
    expect(res.body.error.details.problems[0].message).toMatch(/unsubscribe/i);
  });

  it("activation of an empty workflow is refused; shape errors are 400", async () => {
    const wf = await api("POST", "/api/v1/workflows", { token, body: simple("empty", [], []) });
    expect(wf.status).toBe(201);
    expect((await api("POST", `/api/v1/workflows/${wf.body.id}/activate`, { token })).status).toBe(422);
    const bad = await api("POST", "/api/v1/workflows", {
      token,
      body: { ...simple("bad"), nodes: [{ id: "x", type: "teleport" }] },
    });
    expect(bad.status).toBe(400);
  });
});

describe("lifecycle, versions and roles", () => {
  it("drafts are created, activated, paused, resumed and deactivated; wrong moves are 409", async () => {
    const wf = await api("POST", "/api/v1/workflows", { token, body: simple("life") });
    const id = wf.body.id;
    expect(wf.body).toMatchObject({ status: "draft", version: 1, reentry: "once", goal: null });
    expect((await api("POST", `/api/v1/workflows/${id}/pause`, { token })).status).toBe(409);
    expect((await api("POST", `/api/v1/workflows/${id}/activate`, { token })).body.status).toBe("active");
    expect((await api("POST", `/api/v1/workflows/${id}/pause`, { token })).body.status).toBe("paused");
    expect((await api("POST", `/api/v1/workflows/${id}/activate`, { token })).body.status).toBe("active");
    expect((await api("POST", `/api/v1/workflows/${id}/deactivate`, { token })).body.status).toBe("inactive");
    const audit = await api("GET", `/api/v1/audit-logs?entity=workflow&entityId=${id}`, { token });
    const actions = (audit.body.data as { action: string }[]).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "workflow.create",
        "workflow.activate",
        "workflow.pause",
        "workflow.resume",
        "workflow.deactivate",
      ]),
    );
  });

  it("a definition change publishes a new version; a rename does not", async () => {
    const wf = await api("POST", "/api/v1/workflows", { token, body: simple("ver") });
    const id = wf.body.id;
    expect(
      (await api("PATCH", `/api/v1/workflows/${id}`, { token, body: { name: `renamed ${tag}` } })).body
        .version,
    ).toBe(1);
    const v2 = await api("PATCH", `/api/v1/workflows/${id}`, {
      token,
      body: { nodes: [{ id: "w2", type: "wait", seconds: 30 }] },
    });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    expect(v2.body).toMatchObject({ version: 2, name: `renamed ${tag}` });
    const versions = await api("GET", `/api/v1/workflows/${id}/versions`, { token });
    expect((versions.body.data as { version: number }[]).map((v) => v.version)).toEqual([2, 1]);
    expect(versions.body.data[1].nodes[0].id).toBe("w");
    expect((await api("DELETE", `/api/v1/workflows/${id}`, { token })).status).toBe(204);
    expect((await api("GET", `/api/v1/workflows/${id}`, { token })).status).toBe(404);
  });

  it("analysts read workflows and cannot change them or send events", async () => {
    const analyst = (await userWithRole("analyst")).accessToken;
    expect((await api("GET", "/api/v1/workflows", { token: analyst })).status).toBe(200);
    expect((await api("POST", "/api/v1/workflows", { token: analyst, body: simple("analyst") })).status).toBe(
      403,
    );
    expect(
      (await api("POST", "/api/v1/events", { token: analyst, body: { email: "x@example.com", name: "x" } }))
        .status,
    ).toBe(403);
  });
});

describe("events", () => {
  it("an unknown address is 202 and creates nobody", async () => {
    const email = `nobody-${tag}@example.com`;
    const res = await api("POST", "/api/v1/events", {
      token,
      body: { email, name: eventName("ghost"), properties: { a: 1 } },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: true });
    const search = await api("GET", `/api/v1/subscribers?q=${encodeURIComponent(email)}`, { token });
    expect(search.body.data).toEqual([]);
  });

  it("an event starts a workflow whose webhook node calls a receiver, signed the Standard Webhooks way", async () => {
    const hook = receiver([500]);
    const url = await hook.start();
    try {
      const email = `hooked-${tag}@example.com`;
      await api("POST", "/api/v1/subscribers", { token, body: { email } });
      const wf = await api("POST", "/api/v1/workflows", {
        token,
        body: simple("hook", [{ id: "call", type: "webhook", url }]),
      });
      expect(wf.status, JSON.stringify(wf.body)).toBe(201);
      await api("POST", `/api/v1/workflows/${wf.body.id}/activate`, { token });
      expect(
        (
          await api("POST", "/api/v1/events", {
            token,
            body: { email, name: eventName("hook"), properties: { plan: "pro" } },
          })
        ).status,
      ).toBe(202);
      // The first call gets a 500; the retry (30 s later) is not awaited here: one signed call is enough.
      await expect.poll(() => hook.got.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      const call = hook.got[0];
      const verified = new Webhook(WORKFLOW_WEBHOOK_SECRET).verify(
        call?.body ?? "",
        call?.headers as Record<string, string>,
      ) as {
        subscriber: { email: string };
        trigger: { properties: { plan: string } };
        nodeId: string;
      };
      expect(verified).toMatchObject({
        nodeId: "call",
        subscriber: { email },
        trigger: { properties: { plan: "pro" } },
      });
      expect(() =>
        new Webhook(WORKFLOW_WEBHOOK_SECRET).verify(
          `${call?.body} `,
          call?.headers as Record<string, string>,
        ),
      ).toThrow();
    } finally {
      await hook.stop();
    }
  });
});

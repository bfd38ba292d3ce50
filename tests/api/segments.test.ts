import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fields, subscribers } from "../../schema/subscribers";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { api, ownerLogin, stack, userWithRole } from "../support/api";

type Session = Awaited<ReturnType<typeof userWithRole>>;

const tag = Math.random().toString(36).slice(2, 8);
/** This suite's own field, so its counts do not depend on other suites' subscribers. */
const KEY = `seg_score_${tag}`;
const NONE = "00000000-0000-7000-8000-000000000000";

let conn: DbConnection;
let editor: Session;
let analyst: Session;

beforeAll(async () => {
  conn = openDb(stack().databaseUrl);
  await conn.db.insert(fields).values({ key: KEY, label: "Score", type: "number" });
  await conn.db.insert(subscribers).values([
    { email: `high-${tag}@seg.test`, name: "High", fields: { [KEY]: 90 } },
    { email: `mid-${tag}@seg.test`, name: "Mid", fields: { [KEY]: 50 } },
    { email: `low-${tag}@seg.test`, name: "Low", fields: { [KEY]: 10 } },
  ]);
  editor = await userWithRole("editor");
  analyst = await userWithRole("analyst");
});

afterAll(async () => {
  await conn?.close();
});

const atLeast = (value: number) => ({ field: KEY, op: "gte", value });

describe("segments API", () => {
  it("creates, reads, lists, updates and deletes a segment, with an audit row for each change", async () => {
    const created = await api("POST", "/api/v1/segments", {
      token: editor.accessToken,
      body: { name: "Engaged", rules: atLeast(50) },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Engaged", rules: atLeast(50) });
    expect(Object.keys(created.body).sort()).toEqual(["createdAt", "id", "name", "rules", "updatedAt"]);
    const id = created.body.id;

    const read = await api("GET", `/api/v1/segments/${id}`, { token: analyst.accessToken });
    expect(read.status).toBe(200);
    expect(read.body.rules).toEqual(atLeast(50));
    const page = await api("GET", "/api/v1/segments?limit=500", { token: analyst.accessToken });
    expect(page.body.data.some((s: { id: string }) => s.id === id)).toBe(true);
    expect(page.body.total).toBeGreaterThanOrEqual(1);

    const patched = await api("PATCH", `/api/v1/segments/${id}`, {
      token: editor.accessToken,
      body: { name: "Very engaged", rules: { and: [atLeast(80)] } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "Very engaged", rules: { and: [atLeast(80)] } });

    const preview = await api("GET", `/api/v1/segments/${id}/preview`, { token: analyst.accessToken });
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(1);
    expect(preview.body.sample[0].email).toBe(`high-${tag}@seg.test`);

    expect((await api("DELETE", `/api/v1/segments/${id}`, { token: editor.accessToken })).status).toBe(204);
    expect((await api("GET", `/api/v1/segments/${id}`, { token: editor.accessToken })).status).toBe(404);

    const owner = await ownerLogin();
    const audit = await api("GET", "/api/v1/audit-logs?entity=segment&limit=500", {
      token: owner.accessToken,
    });
    const actions = audit.body.data
      .filter((r: { entityId: string }) => r.entityId === id)
      .map((r: { action: string; actorId: string }) => [r.action, r.actorId]);
    expect(actions.sort()).toEqual([
      ["segment.create", editor.user.id],
      ["segment.delete", editor.user.id],
      ["segment.update", editor.user.id],
    ]);
  });

  it("previews unsaved rules with a count and a sample of subscribers", async () => {
    const res = await api("POST", "/api/v1/segments/preview", {
      token: analyst.accessToken,
      body: { rules: { or: [atLeast(50), { field: KEY, op: "lt", value: 11 }] }, sampleSize: 2 },
    });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(res.body.sample).toHaveLength(2);
    expect(Object.keys(res.body.sample[0]).sort()).toEqual([
      "createdAt",
      "email",
      "fields",
      "id",
      "name",
      "seenTimezone",
      "seenTimezoneAt",
      "status",
      "updatedAt",
    ]);
    expect(typeof res.body.sample[0].createdAt).toBe("string");
  });

  it("answers 400 naming the exact node of a bad rule, and saves nothing", async () => {
    const body = {
      name: "Broken",
      rules: { and: [{ status: "active" }, { or: [{ field: "agee", op: "gt", value: 1 }] }] },
    };
    const res = await api("POST", "/api/v1/segments", { token: editor.accessToken, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.message).toContain('rules.and[1].or[0]: unknown field "agee"');
    expect(res.body.error.details).toEqual([
      { path: ["rules", "and", 1, "or", 0], message: 'rules.and[1].or[0]: unknown field "agee"' },
    ]);
    const typed = await api("POST", "/api/v1/segments/preview", {
      token: analyst.accessToken,
      body: { rules: { not: { field: KEY, op: "contains", value: "9" } } },
    });
    expect(typed.status).toBe(400);
    expect(typed.body.error.details[0].path).toEqual(["rules", "not", "op"]);
    const list = await api("GET", "/api/v1/segments?limit=500", { token: editor.accessToken });
    expect(list.body.data.some((s: { name: string }) => s.name === "Broken")).toBe(false);
  });

  it("validates the body shape and refuses a bad update without changing the segment", async () => {
    const missing = await api("POST", "/api/v1/segments", { token: editor.accessToken, body: { name: "x" } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toEqual(["rules"]);
    const created = await api("POST", "/api/v1/segments", {
      token: editor.accessToken,
      body: { name: "Keep", rules: atLeast(1) },
    });
    const bad = await api("PATCH", `/api/v1/segments/${created.body.id}`, {
      token: editor.accessToken,
      body: { rules: { list: "nope" } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(["rules", "list"]);
    const still = await api("GET", `/api/v1/segments/${created.body.id}`, { token: editor.accessToken });
    expect(still.body.rules).toEqual(atLeast(1));
  });

  it("answers 404 for unknown segments and 403 to analysts who try to change one", async () => {
    for (const [method, path] of [
      ["GET", `/api/v1/segments/${NONE}`],
      ["GET", `/api/v1/segments/${NONE}/preview`],
      ["DELETE", `/api/v1/segments/${NONE}`],
    ] as const) {
      expect((await api(method, path, { token: editor.accessToken })).status, `${method} ${path}`).toBe(404);
    }
    const patch = await api("PATCH", `/api/v1/segments/${NONE}`, {
      token: editor.accessToken,
      body: { name: "x" },
    });
    expect(patch.status).toBe(404);
    const denied = await api("POST", "/api/v1/segments", {
      token: analyst.accessToken,
      body: { name: "No", rules: atLeast(1) },
    });
    expect(denied.status).toBe(403);
  });
});

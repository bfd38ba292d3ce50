import { beforeAll, describe, expect, it } from "vitest";
import { api, ownerLogin, userWithRole } from "../support/api";

const tag = Math.random().toString(36).slice(2, 7);
const b64url = (s: string) => Buffer.from(s).toString("base64url");
const cursorOf = (key: unknown) => b64url(JSON.stringify(key));

/** Cursors no list ever hands out: each must be a 400 in the error envelope, never a 500. */
const BAD_CURSORS: Record<string, string> = {
  "non-UUID id": cursorOf({ id: "not-a-uuid" }),
  "UUID-shaped id of dashes": cursorOf({ id: "-".repeat(36) }),
  "UUID-shaped id of non-hex": cursorOf({ id: "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz" }),
  "id beyond bigint": cursorOf({ id: "99999999999999999999999" }),
  "negative id": cursorOf({ id: "-1" }),
  "exponent id": cursorOf({ id: "1e3" }),
  "numeric id": cursorOf({ id: 5 }),
  "null id": cursorOf({ id: null }),
  "no id": cursorOf({}),
  "JSON null": cursorOf(null),
  "JSON array": cursorOf([1, 2]),
  "JSON string": cursorOf("x"),
  "not JSON": b64url("not json at all"),
  "garbage base64": "!!!~~~%%%",
  "one character": "a",
};

/** Path ids for the collections under a resource, made by this suite so lookups find them. */
const ids: Record<string, string> = {};

/** Every GET operation of the served OpenAPI document that takes a `cursor`. */
async function paginatedCollections(): Promise<string[]> {
  const doc = (await api("GET", "/api/v1/openapi.json")).body as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  };
  return Object.entries(doc.paths)
    .filter(([, item]) => item.get?.parameters?.some((p) => p.in === "query" && p.name === "cursor"))
    .map(([path]) => path);
}

/** `/api/v1/campaigns/{id}/sends` with the id of this suite's campaign. */
function concrete(path: string): string {
  return path.replace(/\/([a-z-]+)\/\{[^}]+\}/g, (_m, resource: string) => {
    const id = ids[resource];
    if (!id) throw new Error(`no ${resource} id for ${path}: create one in beforeAll`);
    return `/${resource}/${id}`;
  });
}

const collections = await paginatedCollections();
let token: string;

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  const post = async (path: string, body: unknown) => {
    const res = await api<{ id: string }>("POST", path, { token, body });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
    return res.body.id;
  };
  ids.lists = await post("/api/v1/lists", {
    name: `Bad input ${tag}`,
    optIn: "single",
    visibility: "private",
  });
  ids.subscribers = await post("/api/v1/subscribers", {
    email: `bad-input-${tag}@example.com`,
    listIds: [ids.lists],
  });
  ids.templates = await post("/api/v1/templates", {
    name: `Bad input ${tag}`,
    subject: "Hi",
    html: `<p>Hi</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>`,
  });
  ids.campaigns = await post("/api/v1/campaigns", {
    name: `Bad input ${tag}`,
    templateId: ids.templates,
    listIds: [ids.lists],
    fromName: "Bad Input",
    fromEmail: "news@example.com",
  });
  // Off, so the shared stack never calls it.
  ids.webhooks = await post("/api/v1/webhooks", {
    url: "https://hooks.example.com/bad-input",
    events: ["import.finished"],
    enabled: false,
  });
  ids.workflows = await post("/api/v1/workflows", {
    name: `Bad input ${tag}`,
    trigger: { type: "event", name: `bad_input_${tag}` },
    nodes: [],
    edges: [],
  });
});

describe("cursors", () => {
  it("finds the paginated collections in the served document", () => {
    for (const path of ["/api/v1/users", "/api/v1/audit-logs", "/api/v1/campaigns/{id}/sends"]) {
      expect(collections).toContain(path);
    }
  });

  it.each(collections)("GET %s answers 400 for every malformed cursor", async (path) => {
    const url = concrete(path);
    expect((await api("GET", url, { token })).status, `${url} without a cursor`).toBe(200);
    for (const [name, cursor] of Object.entries(BAD_CURSORS)) {
      const res = await api("GET", `${url}?cursor=${encodeURIComponent(cursor)}`, { token });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error, name).toMatchObject({ code: expect.any(String), requestId: expect.any(String) });
    }
  });

  it("answers 400 for a cursor beyond the integer range of versions and chunks", async () => {
    const cursor = cursorOf({ id: String(2 ** 31) });
    for (const url of [
      `/api/v1/templates/${ids.templates}/versions`,
      `/api/v1/campaigns/${ids.campaigns}/chunks`,
    ]) {
      const res = await api("GET", `${url}?cursor=${cursor}`, { token });
      expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(400);
    }
  });

  it("answers 400 for an audit-log cursor whose time Postgres cannot hold", async () => {
    const cursor = cursorOf({ id: crypto.randomUUID(), t: "-200000-01-01T00:00:00.000Z" });
    const res = await api("GET", `/api/v1/audit-logs?cursor=${cursor}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it("still pages through lists with the cursors they hand out (time, uuid and number keys)", async () => {
    const first = await api("GET", "/api/v1/audit-logs?limit=2", { token });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await api("GET", `/api/v1/audit-logs?limit=2&cursor=${first.body.nextCursor}`, { token });
    expect(next.status).toBe(200);
    expect(next.body.data[0].id).not.toBe(first.body.data[0].id);

    // A second user of its own, so the users list has a next page whichever suites ran before.
    const created = await api("POST", "/api/v1/users", {
      token,
      body: {
        email: "second-pager@example.com",
        name: "Second Pager",
        role: "analyst",
        password: "a long enough passphrase",
      },
    });
    expect(created.status).toBe(201);
    const users = await api("GET", "/api/v1/users?limit=1", { token });
    expect(users.body.nextCursor).toEqual(expect.any(String));
    const moreUsers = await api("GET", `/api/v1/users?limit=1&cursor=${users.body.nextCursor}`, { token });
    expect(moreUsers.status).toBe(200);

    for (const subject of ["Second", "Third"]) {
      await api("PATCH", `/api/v1/templates/${ids.templates}`, { token, body: { subject } });
    }
    const versions = `/api/v1/templates/${ids.templates}/versions?limit=1`;
    const newest = await api("GET", versions, { token });
    expect(newest.body.data.map((v: { version: number }) => v.version)).toEqual([3]);
    const older = await api("GET", `${versions}&cursor=${newest.body.nextCursor}`, { token });
    expect(older.body.data.map((v: { version: number }) => v.version)).toEqual([2]);
  });
});

describe("refresh tokens", () => {
  it("answers 400 for a malformed refresh token, including a UUID-shaped id that is no UUID", async () => {
    const secret = "A".repeat(43);
    for (const refreshToken of [`${"-".repeat(36)}.${secret}`, `${"g".repeat(36)}.${secret}`, "garbage"]) {
      for (const path of ["/api/v1/auth/refresh", "/api/v1/auth/logout"]) {
        const res = await api("POST", path, { body: { refreshToken } });
        expect(res.status, `${path} ${refreshToken}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.code).toBe("validation_failed");
      }
    }
  });

  it("still answers 401 for a well-formed token that is unknown", async () => {
    const { refreshToken } = await userWithRole("analyst");
    const secret = refreshToken.split(".")[1];
    const res = await api("POST", "/api/v1/auth/refresh", {
      body: { refreshToken: `${crypto.randomUUID()}.${secret}` },
    });
    expect(res.status).toBe(401);
  });
});

describe("template versions", () => {
  it("answers 400 for a version beyond the integer range, in the path and in bodies", async () => {
    const big = 2 ** 31;
    const path = await api("GET", `/api/v1/templates/${ids.templates}/versions/${big}`, { token });
    expect(path.status, JSON.stringify(path.body)).toBe(400);
    const restore = await api("PATCH", `/api/v1/templates/${ids.templates}`, {
      token,
      body: { restoreVersion: big },
    });
    expect(restore.status, JSON.stringify(restore.body)).toBe(400);
    const preview = await api("POST", `/api/v1/templates/${ids.templates}/preview`, {
      token,
      body: { version: big },
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(400);
    // The largest integer is a valid number that simply names no version.
    const missing = await api("GET", `/api/v1/templates/${ids.templates}/versions/${big - 1}`, { token });
    expect(missing.status).toBe(404);
  });
});

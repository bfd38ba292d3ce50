import { beforeAll, describe, expect, it } from "vitest";
import { api, ownerLogin } from "../support/api";

const tag = Math.random().toString(36).slice(2, 7);
let token: string;

interface Template {
  id: string;
  currentVersion: number;
  subject: string;
  html: string;
  editor: "html" | "blocks";
  blocks: { rows: { id: string; type: string; text?: string }[] } | null;
}
interface Version extends Template {
  version: number;
}
type ErrorBody = { error: { code: string; message: string; details?: { path: string[] }[] } };

const rows = (heading: string) => [
  { id: "h", type: "heading", text: heading },
  { id: "t", type: "text", html: '<p>Hi {{ subscriber.name | default: "friend" }}</p>' },
  { id: "i", type: "image", src: "https://example.com/a.png", alt: "A picture" },
  { id: "b", type: "button", text: "Read", href: "https://example.com/read" },
  { id: "f", type: "footer" },
];

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
});

describe("templates built with blocks", () => {
  it("round-trips a block document through create, patch, versions and restore", async () => {
    const created = await api<Template>("POST", "/api/v1/templates", {
      token,
      body: {
        name: `Blocks ${tag}`,
        subject: "News",
        editor: "blocks",
        blocks: { rows: rows("First heading") },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.editor).toBe("blocks");
    expect(created.body.blocks?.rows.map((r) => r.id)).toEqual(["h", "t", "i", "b", "f"]);
    // The Worker compiled the HTML: MJML's output with the blocks and the Liquid kept.
    expect(created.body.html).toContain("First heading");
    expect(created.body.html).toContain('Hi {{ subscriber.name | default: "friend" }}');
    expect(created.body.html).toContain('href="{{ unsubscribe_url }}"');
    expect(created.body.html).toMatch(/<!doctype html>/i);
    const id = created.body.id;

    const patched = await api<Template>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { blocks: { rows: rows("Second heading") } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.currentVersion).toBe(2);
    expect(patched.body.html).toContain("Second heading");
    expect(patched.body.blocks?.rows[0]?.text).toBe("Second heading");

    // The same document again makes no version (key order in storage does not matter).
    const same = await api<Template>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { blocks: { rows: rows("Second heading") } },
    });
    expect(same.body.currentVersion).toBe(2);

    const versions = await api<{ data: Version[] }>("GET", `/api/v1/templates/${id}/versions`, { token });
    expect(versions.body.data.map((v) => [v.version, v.editor, v.blocks?.rows[0]?.text])).toEqual([
      [2, "blocks", "Second heading"],
      [1, "blocks", "First heading"],
    ]);
    const v1 = await api<Version>("GET", `/api/v1/templates/${id}/versions/1`, { token });
    expect(v1.body.blocks?.rows[0]?.text).toBe("First heading");

    const restored = await api<Template>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { restoreVersion: 1 },
    });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ currentVersion: 3, editor: "blocks" });
    expect(restored.body.blocks?.rows[0]?.text).toBe("First heading");
    expect(restored.body.html).toContain("First heading");

    const list = await api<{ data: { id: string; editor: string }[] }>(
      "GET",
      `/api/v1/templates?q=${encodeURIComponent(`Blocks ${tag}`)}`,
      { token },
    );
    expect(list.body.data.find((t) => t.id === id)?.editor).toBe("blocks");
  });

  it("converts to HTML explicitly, and refuses HTML alone on a blocks template", async () => {
    const created = await api<Template>("POST", "/api/v1/templates", {
      token,
      body: {
        name: `Convert ${tag}`,
        subject: "News",
        editor: "blocks",
        blocks: { rows: rows("Convert me") },
      },
    });
    const id = created.body.id;
    const htmlOnly = await api<ErrorBody>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { html: "<p>x {{ unsubscribe_url }}</p>" },
    });
    expect(htmlOnly.status).toBe(422);
    expect(htmlOnly.body.error.details?.[0]?.path).toEqual(["html"]);

    const converted = await api<Template>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { editor: "html" },
    });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body).toMatchObject({ editor: "html", blocks: null, currentVersion: 2 });
    expect(converted.body.html).toBe(created.body.html);
    const edited = await api<Template>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { html: `${converted.body.html}<!-- edited -->` },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.currentVersion).toBe(3);
    // Restoring the blocks version brings the builder back.
    const back = await api<Template>("PATCH", `/api/v1/templates/${id}`, {
      token,
      body: { restoreVersion: 1 },
    });
    expect(back.body).toMatchObject({ editor: "blocks", currentVersion: 4 });
  });

  it("refuses a campaign document without a footer (422), bad documents (400), blocks without the editor", async () => {
    const noFooter = await api<ErrorBody>("POST", "/api/v1/templates", {
      token,
      body: {
        name: `No footer ${tag}`,
        subject: "x",
        editor: "blocks",
        blocks: { rows: rows("x").slice(0, 4) },
      },
    });
    expect(noFooter.status).toBe(422);
    expect(noFooter.body.error.details?.[0]?.path).toEqual(["blocks"]);
    const transactional = await api<Template>("POST", "/api/v1/templates", {
      token,
      body: {
        name: `Receipt ${tag}`,
        kind: "transactional",
        subject: "x",
        editor: "blocks",
        blocks: { rows: rows("x").slice(0, 4) },
      },
    });
    expect(transactional.status, JSON.stringify(transactional.body)).toBe(201);

    for (const blocks of [
      { rows: [{ id: "a", type: "marquee" }] },
      { rows: [{ id: "a", type: "spacer", height: 99999 }] },
      { rows: [{ id: "a", type: "button", text: "x", href: "javascript:alert(1)" }] },
      { rows: [{ id: "a", type: "spacer", onclick: "x" }] },
      { rows: "nope" },
    ]) {
      const res = await api<ErrorBody>("POST", "/api/v1/templates", {
        token,
        body: { name: "bad", subject: "x", editor: "blocks", blocks },
      });
      expect(res.status, JSON.stringify(blocks)).toBe(400);
    }
    const noEditor = await api<ErrorBody>("POST", "/api/v1/templates", {
      token,
      body: { name: "bad", subject: "x", html: "<p>{{ unsubscribe_url }}</p>", blocks: { rows: rows("x") } },
    });
    expect(noEditor.status).toBe(400);
  });
});

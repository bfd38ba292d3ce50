import { describe, expect, it } from "vitest";
import { api, ownerLogin, uniqueEmail } from "../support/api";

interface Detail {
  path: (string | number)[];
  message: string;
  code: string;
}

const detailsOf = (body: { error: { details: Detail[] } }) =>
  Object.fromEntries(body.error.details.map((d) => [d.path.join("."), d.message]));

describe("validation messages", () => {
  it("are people's words in the field's own terms, with the field path", async () => {
    const { accessToken: token } = await ownerLogin();
    const list = await api("POST", "/api/v1/lists", { token, body: { name: "" } });
    expect(list.status).toBe(400);
    expect(detailsOf(list.body)).toEqual({ name: "Name is required" });
    expect(list.body.error.message).toBe("Name is required");

    const campaign = await api("POST", "/api/v1/campaigns", {
      token,
      body: { name: "C", templateId: "nope", fromName: "", fromEmail: "x", listIds: ["bad"] },
    });
    expect(detailsOf(campaign.body)).toMatchObject({
      templateId: "Choose a template",
      fromName: "From name is required",
      fromEmail: "Enter a valid email address",
      "listIds.0": "Choose a list",
    });

    const relay = await api("POST", "/api/v1/relays", {
      token,
      body: { name: "R", host: "smtp.example.com", port: 0, maxPerSecond: 0 },
    });
    expect(detailsOf(relay.body)).toMatchObject({
      port: "Port must be between 1 and 65,535",
      maxPerSecond: "Messages per second must be between 1 and 10,000",
    });

    const settings = await api("PATCH", "/api/v1/settings", {
      token,
      body: { sending: { pauseBounceRate: 5 } },
    });
    expect(detailsOf(settings.body)["sending.pauseBounceRate"]).toMatch(/percent/i);

    const user = await api("POST", "/api/v1/users", {
      token,
      body: { email: uniqueEmail("msg"), name: "M", role: "root", password: "short" },
    });
    expect(detailsOf(user.body)).toMatchObject({
      role: "Choose one of: owner, admin, editor, analyst",
      password: "Password: at least 12 characters",
    });
  });

  it("never carry zod's raw words on any body", async () => {
    const { accessToken: token } = await ownerLogin();
    const bodies: [string, string, unknown][] = [
      ["POST", "/api/v1/fields", { key: "Bad Key", label: "", type: "colour" }],
      ["POST", "/api/v1/segments", { name: "", rules: {} }],
      ["POST", "/api/v1/templates", { name: "", subject: "", html: "" }],
      ["POST", "/api/v1/api-keys", { name: "", role: "x" }],
      ["POST", "/api/v1/suppressions", { email: 42 }],
      ["POST", "/api/v1/domains", { domain: "" }],
    ];
    for (const [method, path, body] of bodies) {
      const res = await api(method, path, { token, body });
      expect(res.status, path).toBe(400);
      for (const d of res.body.error.details as Detail[]) {
        expect(d.message, `${path} ${d.path.join(".")}`).not.toMatch(
          /Too small|Too big|Invalid (UUID|input|option)|expected (string|number)|Unrecognized/,
        );
      }
    }
  });
});

describe("unknown body keys", () => {
  it("are a 400 naming them, and nothing is written", async () => {
    const { accessToken: token } = await ownerLogin();
    const email = uniqueEmail("strict");
    const res = await api("POST", "/api/v1/subscribers", { token, body: { email, lists: ["x"] } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.message).toBe('Unknown field "lists"');
    expect(res.body.error.details).toContainEqual(
      expect.objectContaining({ code: "unrecognized_keys", keys: ["lists"], path: [] }),
    );
    const found = await api("GET", `/api/v1/subscribers?q=${encodeURIComponent(email)}`, { token });
    expect(found.body.data).toHaveLength(0);
  });

  it("are refused in nested objects too, naming where", async () => {
    const { accessToken: token } = await ownerLogin();
    const res = await api("PATCH", "/api/v1/settings", { token, body: { sending: { maxAttempt: 3 } } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Unknown field "maxAttempt" in sending');
  });

  it("are refused by every JSON body in the OpenAPI document", async () => {
    const doc = (await api("GET", "/api/v1/openapi.json")).body as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, { schema: unknown }> } }>
      >;
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    const resolve = (s: Record<string, unknown>): Record<string, unknown> => {
      const ref = s.$ref as string | undefined;
      return ref ? resolve(doc.components.schemas[ref.split("/").pop() as string] ?? {}) : s;
    };
    const loose: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content?.["application/json"]?.schema;
        if (!schema || path.startsWith("/webhooks/")) continue;
        const body = resolve(schema as Record<string, unknown>);
        if (body.type === "object" && body.additionalProperties !== false) loose.push(`${method} ${path}`);
      }
    }
    expect(loose).toEqual([]);
  });
});

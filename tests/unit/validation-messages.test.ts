import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import "../../workers/contract/common";
import { humanMessage, issueStillApplies } from "../../workers/contract/messages";

/** The messages a schema's failures carry once the contract's error map is installed. */
const messages = (schema: z.ZodType, value: unknown) =>
  Object.fromEntries((schema.safeParse(value).error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("validation messages", () => {
  it("speak of the field, not of zod's types", () => {
    const schema = z
      .object({
        name: z.string().trim().min(1).max(5),
        templateId: z.string().uuid(),
        listIds: z.array(z.string().uuid()).min(1),
        port: z.number().int().min(1).max(65535),
        fromEmail: z.string().email(),
        kind: z.enum(["campaign", "transactional"]),
        count: z.number().min(3),
      })
      .strict();
    expect(
      messages(schema, {
        name: "",
        templateId: "x",
        listIds: [],
        port: 0,
        fromEmail: "x",
        kind: "y",
        count: 1,
        extra: 1,
      }),
    ).toEqual({
      name: "Name is required",
      templateId: "Choose a template",
      listIds: "Choose at least one list",
      port: "Port must be between 1 and 65,535",
      fromEmail: "Enter a valid email address",
      kind: "Choose one of: campaign, transactional",
      count: "Count must be at least 3",
      "": 'Unknown field "extra"',
    });
    expect(messages(schema.partial(), { name: "toolong" }).name).toBe("Name must be at most 5 characters");
    expect(messages(z.object({ segmentId: z.string() }), {}).segmentId).toBe("Choose a segment");
    expect(messages(z.object({ subject: z.string() }), {}).subject).toBe("Subject is required");
  });

  it("keep a schema's own words", () => {
    expect(messages(z.object({ a: z.string().min(3, "Say more") }), { a: "" }).a).toBe("Say more");
  });

  it("name several unknown fields", () => {
    expect(humanMessage({ code: "unrecognized_keys", path: [], keys: ["a", "b"] })).toBe(
      'Unknown fields "a", "b"',
    );
  });
});

describe("issueStillApplies (the dashboard clears a message once its field is fixed)", () => {
  it("holds while the value still breaks the rule and not after", () => {
    const required = { code: "too_small", origin: "string", minimum: 1, path: ["name"] };
    expect(issueStillApplies(required, "  ")).toBe(true);
    expect(issueStillApplies(required, "N")).toBe(false);
    const long = { code: "too_small", origin: "string", minimum: 12, path: ["password"] };
    expect(issueStillApplies(long, "short")).toBe(true);
    expect(issueStillApplies(long, "")).toBe(false);
    const port = { code: "too_big", origin: "number", maximum: 65535, path: ["port"] };
    expect(issueStillApplies(port, "70000")).toBe(true);
    expect(issueStillApplies(port, "25")).toBe(false);
    const email = { code: "invalid_format", format: "email", path: ["email"] };
    expect(issueStillApplies(email, "sam@")).toBe(true);
    expect(issueStillApplies(email, "sam@example.com")).toBe(false);
    const choice = { code: "invalid_value", values: ["a", "b"], path: ["kind"] };
    expect(issueStillApplies(choice, "c")).toBe(true);
    expect(issueStillApplies(choice, "a")).toBe(false);
  });

  it("lets a message it cannot judge go with the first edit", () => {
    expect(issueStillApplies({ code: "custom", path: ["x"] }, "anything")).toBe(false);
  });
});

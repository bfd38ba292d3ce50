import { describe, expect, it } from "vitest";
import { checkEmail, emailHash, emailKey } from "../../workers/domain/audience/email";
import { checkFieldValue } from "../../workers/domain/audience/field-values";

describe("email addresses", () => {
  it("accepts ordinary addresses and normalises the domain only", () => {
    expect(checkEmail("  Jane.Doe+news@Example.COM ")).toEqual({
      ok: true,
      email: "Jane.Doe+news@example.com",
    });
    expect(checkEmail("o'brien@mail.example.org")).toEqual({ ok: true, email: "o'brien@mail.example.org" });
    expect(checkEmail("user@example.com.")).toEqual({ ok: true, email: "user@example.com" });
  });

  it("converts international domains to their ASCII form", () => {
    expect(checkEmail("anna@bücher.de")).toEqual({ ok: true, email: "anna@xn--bcher-kva.de" });
  });

  it.each([
    ["", "empty"],
    ["plainaddress", "exactly one @"],
    ["Jane <jane@example.com>", "bare address"],
    ['"quoted"@example.com', "bare address"],
    ["a@b@example.com", "exactly one @"],
    ["a..b@example.com", "not allowed"],
    [".a@example.com", "not allowed"],
    ["a@localhost", "domain"],
    ["a@127.0.0.1", "domain"],
    ["a@[127.0.0.1]", "bare address"],
    ["a@-example.com", "domain"],
    ["a@exa_mple.com", "domain"],
    [`${"x".repeat(65)}@example.com`, "64"],
    [`${"a".repeat(64)}@${"x".repeat(63)}.${"y".repeat(63)}.${"z".repeat(63)}.com`, "254"],
    ["a b@example.com", "bare address"],
  ])("rejects %j with a reason", (input, reason) => {
    const r = checkEmail(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it("hashes by the lower-cased, trimmed address", async () => {
    expect(emailKey(" A@Example.com ")).toBe("a@example.com");
    expect(await emailHash("A@Example.com")).toBe(await emailHash("a@example.com "));
    expect(await emailHash("a@example.com")).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("custom field values", () => {
  const def = (type: "text" | "number" | "date" | "boolean" | "select", options: string[] | null = null) => ({
    key: "f",
    type,
    options,
  });

  it("checks each type strictly from JSON", () => {
    expect(checkFieldValue(def("number"), 3.5)).toEqual({ ok: true, value: 3.5 });
    expect(checkFieldValue(def("number"), "3").ok).toBe(false);
    expect(checkFieldValue(def("boolean"), true)).toEqual({ ok: true, value: true });
    expect(checkFieldValue(def("boolean"), "yes").ok).toBe(false);
    expect(checkFieldValue(def("date"), "2024-02-29")).toEqual({ ok: true, value: "2024-02-29" });
    expect(checkFieldValue(def("date"), "2023-02-29").ok).toBe(false);
    expect(checkFieldValue(def("date"), "2024-01-01T10:00:00+02:00")).toEqual({
      ok: true,
      value: "2024-01-01T08:00:00.000Z",
    });
    expect(checkFieldValue(def("select", ["gold", "silver"]), "gold").ok).toBe(true);
    expect(checkFieldValue(def("select", ["gold", "silver"]), "bronze").ok).toBe(false);
    expect(checkFieldValue(def("text"), 12).ok).toBe(false);
    expect(checkFieldValue(def("text"), null)).toEqual({ ok: true, value: null });
  });

  it("reads CSV text leniently for numbers and booleans", () => {
    expect(checkFieldValue(def("number"), " 42 ", true)).toEqual({ ok: true, value: 42 });
    expect(checkFieldValue(def("number"), "", true).ok).toBe(false);
    expect(checkFieldValue(def("number"), "4x", true).ok).toBe(false);
    expect(checkFieldValue(def("boolean"), "Yes", true)).toEqual({ ok: true, value: true });
    expect(checkFieldValue(def("boolean"), "0", true)).toEqual({ ok: true, value: false });
  });
});

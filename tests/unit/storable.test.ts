import { describe, expect, it } from "vitest";
import { findUnstorable, MAX_INPUT_DEPTH } from "../../workers/lib/storable";

const nested = (depth: number): unknown => (depth === 0 ? "leaf" : { a: nested(depth - 1) });

describe("findUnstorable", () => {
  it("passes ordinary input, astral characters and RTL marks included", () => {
    expect(
      findUnstorable({ name: "Zoë 😀 \u200f𝕏", tags: ["a", 1, null, true], deep: nested(20) }),
    ).toBeNull();
  });

  it("names the string or key holding NUL", () => {
    expect(findUnstorable({ list: [{ name: "ok" }, { name: "a\u0000b" }] })).toMatchObject({
      path: ["list", 1, "name"],
      message: expect.stringContaining("NUL"),
    });
    expect(findUnstorable({ fields: { "k\u0000": 1 } })).toMatchObject({ path: ["fields", "k\u0000"] });
  });

  it("finds lone surrogates, high or low, but not pairs", () => {
    for (const s of ["x\ud800", "\udfffx", "\ude00\ud83d", "a\ud83d"]) {
      expect(findUnstorable({ s }), JSON.stringify(s)).toMatchObject({ path: ["s"] });
    }
    expect(findUnstorable({ s: "\ud83d\ude00" })).toBeNull();
  });

  it(`refuses nesting deeper than ${MAX_INPUT_DEPTH} levels, 10,000 included, without recursion`, () => {
    expect(findUnstorable(nested(MAX_INPUT_DEPTH))).toBeNull();
    expect(findUnstorable(nested(MAX_INPUT_DEPTH + 1))?.message).toContain("nested");
    const deep = JSON.parse(`${"[".repeat(10_000)}${"]".repeat(10_000)}`);
    expect(findUnstorable(deep)?.path).toHaveLength(MAX_INPUT_DEPTH);
  });
});

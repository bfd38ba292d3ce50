import { describe, expect, it } from "vitest";
import {
  confirmToken,
  readConfirmToken,
  readPreferencesToken,
  readUnsubscribeToken,
  unsubscribeToken,
} from "../../workers/domain/audience/subscriptions/links";
import { signToken, verifyToken } from "../../workers/lib/signed-token";

const SECRET = "a tracking secret that is long enough to be real";
const OTHER = "another tracking secret, just as long as the first";
const SUB = "0192f0a0-1234-7abc-8def-0123456789ab";
const LIST = "0192f0a0-5678-7abc-8def-0123456789ab";

/** Changes one character of `s` at `i` to another base64url character. */
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);

describe("signed tokens", () => {
  it("round-trips fields, and is compact and URL-safe", async () => {
    const t = await signToken(SECRET, "unsubscribe", [SUB, LIST, ""]);
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(t.length).toBeLessThan(160);
    expect(await verifyToken(SECRET, "unsubscribe", t)).toEqual([SUB, LIST, ""]);
  });

  it("refuses a token with any character of payload or MAC changed", async () => {
    const t = await signToken(SECRET, "confirm", [SUB, LIST]);
    for (let i = 0; i < t.length; i++) {
      if (t[i] === ".") continue;
      expect(await verifyToken(SECRET, "confirm", flip(t, i)), `position ${i}`).toBeNull();
    }
  });

  it("refuses truncated, extended and malformed tokens", async () => {
    const t = await signToken(SECRET, "confirm", [SUB]);
    for (const bad of [
      t.slice(0, -1),
      t.slice(1),
      `${t}A`,
      t.replace(".", ""),
      `${t}.x`,
      "",
      ".",
      "a.b",
      "%%.%%",
    ]) {
      expect(await verifyToken(SECRET, "confirm", bad), bad).toBeNull();
    }
    expect(await verifyToken(SECRET, "confirm", "x".repeat(5000))).toBeNull();
  });

  it("refuses a token made for another purpose", async () => {
    const confirm = await signToken(SECRET, "confirm", [SUB, LIST, ""]);
    expect(await verifyToken(SECRET, "unsubscribe", confirm)).toBeNull();
    expect(await readUnsubscribeToken(SECRET, confirm)).toBeNull();
    const unsub = await unsubscribeToken(SECRET, { subscriberId: SUB });
    expect(await readConfirmToken(SECRET, unsub)).toBeNull();
    expect(await readPreferencesToken(SECRET, unsub)).toBeNull();
    expect(await readUnsubscribeToken(SECRET, unsub)).toEqual({ subscriberId: SUB });
  });

  it("refuses a token signed with another key", async () => {
    const t = await signToken(OTHER, "confirm", [SUB]);
    expect(await verifyToken(SECRET, "confirm", t)).toBeNull();
    expect(await verifyToken(OTHER, "confirm", t)).toEqual([SUB]);
  });

  it("expires when asked to, and only then", async () => {
    const issued = new Date("2026-01-01T00:00:00Z");
    const t = await signToken(SECRET, "confirm", [SUB], { ttlSeconds: 3600, now: issued });
    expect(await verifyToken(SECRET, "confirm", t, new Date("2026-01-01T00:59:00Z"))).toEqual([SUB]);
    expect(await verifyToken(SECRET, "confirm", t, new Date("2026-01-01T01:00:01Z"))).toBeNull();
    const forever = await signToken(SECRET, "confirm", [SUB]);
    expect(await verifyToken(SECRET, "confirm", forever, new Date("2100-01-01T00:00:00Z"))).toEqual([SUB]);
  });

  it("confirmation tokens carry the subscriber and lists and expire after 30 days", async () => {
    const old = await confirmToken(
      SECRET,
      { subscriberId: SUB, listIds: [LIST] },
      new Date(Date.now() - 31 * 86400_000),
    );
    expect(await readConfirmToken(SECRET, old)).toBeNull();
    const at = new Date(Date.now() - 60_000);
    const fresh = await confirmToken(SECRET, { subscriberId: SUB, listIds: [LIST] }, at);
    expect(await readConfirmToken(SECRET, fresh)).toEqual({
      subscriberId: SUB,
      listIds: [LIST],
      issuedAt: at,
    });
    // Links mailed before the issue time was recorded still work, with no issue time.
    const earlier = await signToken(SECRET, "confirm", [SUB, LIST], { ttlSeconds: 3600 });
    expect(await readConfirmToken(SECRET, earlier)).toEqual({
      subscriberId: SUB,
      listIds: [LIST],
      issuedAt: null,
    });
  });

  it("will not sign fields that would be ambiguous", async () => {
    await expect(signToken(SECRET, "confirm", ["a\nb"])).rejects.toThrow(/newlines/);
    await expect(signToken(SECRET, "", [SUB])).rejects.toThrow(/purpose/);
  });
});

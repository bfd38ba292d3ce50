import { describe, expect, it } from "vitest";
import { signClick, signOpen } from "../../workers/lib/tracking-token";
import { PIXEL_GIF } from "../../workers/track/responses";
import { fixture, HOUR, hit, idsOf, secret, useTrackingData } from "../support/tracking";

/**
 * The tracking path's answers: the open pixel for any token, the click redirect for a verified
 * one, and the same 404 page for every token that does not verify.
 */

useTrackingData();

describe("tracking endpoints: responses", () => {
  it("serves the 43-byte transparent GIF, never cached, for good and bad tokens alike", async () => {
    const f = await fixture("pixel", [HOUR]);
    const good = await signOpen(secret(), idsOf(f, 0));
    for (const token of [good, `${good.slice(0, -2)}AA`, "not-a-token"]) {
      const res = await hit(`/o/${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/gif");
      expect(res.headers.get("cache-control")).toBe("no-store, no-cache, must-revalidate, max-age=0");
      expect(res.headers.get("pragma")).toBe("no-cache");
      expect(res.headers.get("expires")).toBe("0");
      const body = new Uint8Array(await res.arrayBuffer());
      expect(body.length).toBe(43);
      expect([...body]).toEqual([...PIXEL_GIF]);
      expect(Buffer.from(body.subarray(0, 6)).toString()).toBe("GIF89a");
    }
  });

  it("redirects a verified click (GET and HEAD) with 302 to the URL in the token", async () => {
    const f = await fixture("redirect", [HOUR]);
    const url = "https://shop.example.com/spring?utm_source=edgepost&x=1#buy";
    const token = await signClick(secret(), { ...idsOf(f, 0), linkIndex: 0, url });
    for (const method of ["GET", "HEAD"]) {
      const res = await hit(`/c/${token}`, { method });
      expect(res.status, method).toBe(302);
      expect(res.headers.get("location")).toBe(url);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
    // A URL with non-ASCII characters is sent in its ASCII form: the same address.
    const unicode = "https://例え.jp/パス?q=ü";
    const res = await hit(`/c/${await signClick(secret(), { ...idsOf(f, 0), linkIndex: 1, url: unicode })}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(new URL(unicode).href);
  });

  it("answers 404, with no Location, to every tampered, truncated or foreign token", async () => {
    const f = await fixture("tampered", [HOUR]);
    const ids = idsOf(f, 0);
    const url = "https://shop.example.com/a";
    const good = await signClick(secret(), { ...ids, linkIndex: 0, url });
    const other = await signClick(secret(), {
      ...ids,
      campaignId: crypto.randomUUID(),
      linkIndex: 0,
      url: "https://evil.example/",
    });
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const bad: Record<string, string> = {
      "a changed character in the payload": flip(good, 5),
      "a changed character in the MAC": flip(good, good.length - 3),
      "a truncated token": good.slice(0, -4),
      "a token cut short of its MAC": good.slice(0, 30),
      "an open token": await signOpen(secret(), ids),
      "a token signed with another key": await signClick("another secret of at least thirty-two chars!", {
        ...ids,
        linkIndex: 0,
        url,
      }),
      "another campaign's payload with this MAC": other.slice(0, -22) + good.slice(-22),
      junk: "hello-world",
      "overlong input": "A".repeat(7000),
      "an extra path segment": `${good}/extra`,
    };
    for (const [name, token] of Object.entries(bad)) {
      for (const method of ["GET", "HEAD"]) {
        const res = await hit(`/c/${token}`, { method });
        expect(res.status, `${name} (${method})`).toBe(404);
        expect(res.headers.get("location"), name).toBeNull();
        expect(res.headers.get("content-type"), name).toMatch(/^text\/html/);
      }
    }
    expect((await hit("/c/")).status).toBe(404);
    const page = await hit(`/c/${flip(good, 5)}`);
    expect(await page.text()).toMatch(/not valid/);
  });
});

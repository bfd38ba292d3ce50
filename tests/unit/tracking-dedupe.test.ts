import { describe, expect, it } from "vitest";
import { TRACKING_BUCKET_MS, trackingDedupeKey } from "../../workers/domain/tracking/dedupe";
import type { TrackingEventMessage } from "../../workers/domain/tracking/event-message";
import { allowEvent } from "../../workers/track/limit";

describe("tracking dedupe keys", () => {
  const b0 = 5_900_000 * TRACKING_BUCKET_MS;
  const open = (ms: number, machine = false, client: string | null = machine ? "apple-mpp" : "webmail") => ({
    kind: "open" as const,
    sendId: 42,
    machine,
    client,
    occurredAt: new Date(b0 + ms),
  });

  it("names every open of one send, class and 5-minute bucket alike", () => {
    expect(trackingDedupeKey(open(0))).toBe("o:42:5900000:h");
    expect(trackingDedupeKey(open(TRACKING_BUCKET_MS - 1))).toBe(trackingDedupeKey(open(0)));
    expect(trackingDedupeKey(open(TRACKING_BUCKET_MS))).toBe("o:42:5900001:h");
    // The human client does not matter; a machine client keeps its own key.
    expect(trackingDedupeKey(open(5, false, "outlook"))).toBe(trackingDedupeKey(open(0)));
    expect(trackingDedupeKey(open(5, true))).toBe("o:42:5900000:apple-mpp");
    expect(trackingDedupeKey(open(5, true, null))).toBe("o:42:5900000:m");
  });

  it("keeps clicks per link, apart from opens", () => {
    const click = (linkIndex: number) => ({ ...open(0), kind: "click" as const, linkIndex });
    expect(trackingDedupeKey(click(0))).toBe("c:42:0:5900000:h");
    expect(trackingDedupeKey(click(3))).toBe("c:42:3:5900000:h");
  });
});

describe("the edge's per-token event limit", () => {
  const event = (sendId: number, extra: Partial<TrackingEventMessage> = {}): TrackingEventMessage => ({
    v: 1,
    kind: "open",
    sendId,
    at: "",
    ua: "",
    ip: null,
    method: "GET",
    machine: false,
    client: "webmail",
    ...extra,
  });
  const allowed = (e: TrackingEventMessage, n: number, now: number) =>
    Array.from({ length: n }, () => allowEvent(e, now)).filter(Boolean).length;

  it("lets 5 events per token and class through in a minute, then again in the next", () => {
    const now = 1_000_000;
    expect(allowed(event(1), 50, now)).toBe(5);
    // Machine fetches of the same token do not use up the reader's allowance, nor the reverse.
    expect(allowed(event(1, { machine: true, client: "apple-mpp" }), 50, now)).toBe(5);
    // Another token, and another link of a click token, have their own.
    expect(allowed(event(2), 3, now)).toBe(3);
    const click = (linkIndex: number) => event(1, { kind: "click", linkIndex, url: "https://a.example/" });
    expect(allowed(click(0), 10, now)).toBe(5);
    expect(allowed(click(1), 10, now)).toBe(5);
    expect(allowed(event(1), 10, now + 59_999)).toBe(0);
    expect(allowed(event(1), 10, now + 60_000)).toBe(5);
  });

  it("keeps a replayed token far below its request count while 100,000 other tokens pass", () => {
    const now = 2_000_000;
    let replayed = 0;
    for (let i = 0; i < 100_000; i++) {
      expect(allowEvent(event(2_000_000 + i), now)).toBe(true);
      // The replayed token comes back once every 100 others: 1,000 requests in all. A token that
      // takes its slot now and then gives it a new window (40 events here), nothing more.
      if (i % 100 === 0 && allowEvent(event(1_000_000), now)) replayed++;
    }
    expect(replayed).toBeGreaterThanOrEqual(5);
    expect(replayed).toBeLessThan(100);
  });
});

import { describe, expect, it } from "vitest";
import type { EventRecord } from "../../workers/domain/tracking/event-record";
import { ingestEvents } from "../../workers/domain/tracking/ingest";
import { api, ownerLogin } from "../support/api";
import { db, fixture, HOUR, idsOf, sendRow, tag, totals, useTrackingData } from "../support/tracking";

/**
 * A person's click proves an open (the pixel was blocked, or the click came from the text part):
 * it counts as the send's open, so unique opens include every unique click and the
 * click-to-open rate never passes 100 % (it once read 133 %).
 */

useTrackingData();

describe("click-to-open", () => {
  it("counts a human click without a recorded open as the send's open", async () => {
    const f = await fixture("ctor", [HOUR, HOUR, HOUR]);
    const at = new Date();
    const url = "https://shop.example/";
    const records: EventRecord[] = [
      // Send 0 and 1: clicked by people whose pixel never loaded.
      { ...idsOf(f, 0), kind: "click", dedupeKey: `ctor-${tag}-c0`, occurredAt: at, url },
      { ...idsOf(f, 1), kind: "click", dedupeKey: `ctor-${tag}-c1`, occurredAt: at, url },
      // Send 2: opened, then clicked.
      { ...idsOf(f, 2), kind: "open", dedupeKey: `ctor-${tag}-o2`, occurredAt: at },
      { ...idsOf(f, 2), kind: "click", dedupeKey: `ctor-${tag}-c2`, occurredAt: at, url },
    ];
    const result = await ingestEvents(db(), records);
    expect(result).toMatchObject({ firstOpens: 3, firstClicks: 3 });
    expect(await totals(f.campaignId)).toMatchObject({ opens: 1, uniqueOpens: 3, uniqueClicks: 3 });
    expect((await sendRow(idsOf(f, 0).sendId))?.openedAt).toEqual(at);

    // A later open of a send already counted as opened by its click adds no unique open.
    const later = new Date(at.getTime() + 60_000);
    await ingestEvents(db(), [
      { ...idsOf(f, 0), kind: "open", dedupeKey: `ctor-${tag}-o0`, occurredAt: later },
    ]);
    expect(await totals(f.campaignId)).toMatchObject({ opens: 2, uniqueOpens: 3, uniqueClicks: 3 });

    const { accessToken: token } = await ownerLogin();
    const stats = await api("GET", `/api/v1/campaigns/${f.campaignId}/stats`, { token });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ uniqueOpens: 3, uniqueClicks: 3 });
    // Click-to-open = unique clicks / unique opens: 100 %, not 300 %.
    expect(stats.body.uniqueClicks / stats.body.uniqueOpens).toBe(1);
  });

  it("does not count a machine click (a scanner) as an open", async () => {
    const f = await fixture("ctor-machine", [HOUR]);
    const at = new Date();
    await ingestEvents(db(), [
      {
        ...idsOf(f, 0),
        kind: "click",
        dedupeKey: `ctor-${tag}-m0`,
        occurredAt: at,
        url: "https://shop.example/",
        machine: true,
      },
    ]);
    expect(await totals(f.campaignId)).toMatchObject({ uniqueOpens: 0, uniqueClicks: 0 });
    expect((await sendRow(idsOf(f, 0).sendId))?.openedAt).toBeNull();
  });
});

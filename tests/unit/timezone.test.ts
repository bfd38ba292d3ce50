import { describe, expect, it } from "vitest";
import {
  formatOffset,
  isoWithOffset,
  offsetAt,
  wallInputs,
  zonedToInstant,
} from "../../dashboard/src/pages/campaigns/zoned-time";

/** The campaign scheduler's wall time -> instant conversion, in zones with and without DST. */
describe("zonedToInstant", () => {
  it("gives a winter and a summer time in Berlin their own offsets", () => {
    expect(zonedToInstant("2026-12-24", "09:00", "Europe/Berlin")).toEqual({
      iso: "2026-12-24T09:00:00+01:00",
      epochMs: Date.parse("2026-12-24T08:00:00Z"),
      offsetMinutes: 60,
      disambiguation: "exact",
    });
    expect(zonedToInstant("2026-07-01", "09:00", "Europe/Berlin")?.iso).toBe("2026-07-01T09:00:00+02:00");
  });

  it("writes UTC with Z and keeps negative and half-hour offsets", () => {
    expect(zonedToInstant("2026-03-01", "12:30", "UTC")?.iso).toBe("2026-03-01T12:30:00Z");
    expect(zonedToInstant("2026-01-15", "08:00", "America/New_York")?.iso).toBe("2026-01-15T08:00:00-05:00");
    expect(zonedToInstant("2026-01-15", "08:00", "Asia/Kolkata")?.iso).toBe("2026-01-15T08:00:00+05:30");
    expect(zonedToInstant("2026-01-15", "08:00", "Asia/Kathmandu")?.iso).toBe("2026-01-15T08:00:00+05:45");
  });

  it("uses the new offset right after clocks go forward, and the old one just before", () => {
    // New York: 2026-03-08 02:00 EST becomes 03:00 EDT.
    expect(zonedToInstant("2026-03-08", "01:59", "America/New_York")?.iso).toBe("2026-03-08T01:59:00-05:00");
    expect(zonedToInstant("2026-03-08", "03:00", "America/New_York")?.iso).toBe("2026-03-08T03:00:00-04:00");
  });

  it("moves a time that does not exist (the spring gap) later by the jump", () => {
    const result = zonedToInstant("2026-03-08", "02:30", "America/New_York");
    expect(result).toMatchObject({ iso: "2026-03-08T03:30:00-04:00", disambiguation: "gap" });
    expect(result?.epochMs).toBe(Date.parse("2026-03-08T07:30:00Z"));
    // Europe: 2026-03-29 02:00 CET becomes 03:00 CEST.
    expect(zonedToInstant("2026-03-29", "02:15", "Europe/Berlin")).toMatchObject({
      iso: "2026-03-29T03:15:00+02:00",
      disambiguation: "gap",
    });
  });

  it("takes the first of a time that happens twice (the autumn overlap)", () => {
    // New York: 2026-11-01 02:00 EDT goes back to 01:00 EST, so 01:30 happens twice.
    const result = zonedToInstant("2026-11-01", "01:30", "America/New_York");
    expect(result).toMatchObject({ iso: "2026-11-01T01:30:00-04:00", disambiguation: "overlap" });
    expect(zonedToInstant("2026-10-25", "02:30", "Europe/London")).toMatchObject({
      iso: "2026-10-25T02:30:00Z",
      disambiguation: "exact",
    });
    expect(zonedToInstant("2026-10-25", "01:30", "Europe/London")).toMatchObject({
      iso: "2026-10-25T01:30:00+01:00",
      disambiguation: "overlap",
    });
  });

  it("handles a southern-hemisphere zone, whose DST spans the new year", () => {
    expect(zonedToInstant("2026-01-10", "10:00", "Australia/Sydney")?.iso).toBe("2026-01-10T10:00:00+11:00");
    expect(zonedToInstant("2026-06-10", "10:00", "Australia/Sydney")?.iso).toBe("2026-06-10T10:00:00+10:00");
    // 2026-10-04 02:00 AEST becomes 03:00 AEDT.
    expect(zonedToInstant("2026-10-04", "02:30", "Australia/Sydney")).toMatchObject({
      iso: "2026-10-04T03:30:00+11:00",
      disambiguation: "gap",
    });
  });

  it("refuses impossible dates, bad times and unknown zones", () => {
    expect(zonedToInstant("2026-02-31", "09:00", "UTC")).toBeNull();
    expect(zonedToInstant("2026-13-01", "09:00", "UTC")).toBeNull();
    expect(zonedToInstant("2026-02-01", "24:00", "UTC")).toBeNull();
    expect(zonedToInstant("2026-02-01", "9", "UTC")).toBeNull();
    expect(zonedToInstant("", "09:00", "UTC")).toBeNull();
    expect(zonedToInstant("2026-02-01", "09:00", "Mars/Olympus_Mons")).toBeNull();
  });

  it("round-trips: the ISO string parses back to the same instant and wall time", () => {
    for (const zone of ["Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Chatham"]) {
      const result = zonedToInstant("2027-04-02", "18:45", zone);
      expect(result).not.toBeNull();
      expect(Date.parse(result?.iso ?? "")).toBe(result?.epochMs);
      expect(wallInputs(result?.epochMs ?? 0, zone)).toEqual({ date: "2027-04-02", time: "18:45" });
    }
  });
});

describe("offsets", () => {
  it("reads the offset at an instant and formats it", () => {
    expect(offsetAt(Date.parse("2026-07-01T00:00:00Z"), "America/New_York")).toBe(-240);
    expect(offsetAt(Date.parse("2026-01-01T00:00:00Z"), "America/New_York")).toBe(-300);
    expect(formatOffset(-240)).toBe("-04:00");
    expect(formatOffset(330)).toBe("+05:30");
    expect(formatOffset(0)).toBe("+00:00");
    expect(isoWithOffset(Date.parse("2026-07-01T12:00:00Z"), "Asia/Tokyo")).toBe("2026-07-01T21:00:00+09:00");
  });
});

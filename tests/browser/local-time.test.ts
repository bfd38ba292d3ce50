import { describe, expect, it } from "vitest";
import { zonedToInstant } from "../../dashboard/src/pages/campaigns/zoned-time";
import { TEST_ZONE_HEADER } from "../../workers/lib/edge-zone";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * "Deliver at this time in each subscriber's time zone" in a real browser against a real Worker
 * and its dev mailbox: three zones (Auckland by the subscribers' `timezone` field, Berlin and
 * New York where they signed up), scheduled for 09:00 in the dialog, then time moved forward
 * through the cron (`/cdn-cgi/local/scheduled?time=<ms>`): the page shows each zone waiting,
 * sending and done, and the mail arrives zone by zone.
 */

const owner = { name: "Lou Local", email: "lou@example.com", password: "correct horse battery staple" };
const ZONES = ["Pacific/Auckland", "Europe/Berlin", "America/New_York"] as const;
const people: Record<(typeof ZONES)[number], string[]> = {
  "Pacific/Auckland": ["kiri@example.com", "tama@example.com"],
  "Europe/Berlin": ["anke@example.com", "jonas@example.com"],
  "America/New_York": ["ella@example.com", "mo@example.com"],
};
const HTML = `<p>Good morning {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`;
/** Three days on: nothing is due at the real time. */
const DAY = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
const nineIn = (zone: string) => zonedToInstant(DAY, "09:00", zone)?.epochMs ?? Number.NaN;

describe.skipIf(!hasChromium)(
  "local-time campaigns in a real browser",
  { timeout: 120_000, sequential: true },
  () => {
    const dash = useDashboard({ page: { timezoneId: "Europe/Berlin", locale: "en-GB" } });
    const { heading, call, mailTo } = dash;
    let campaignId = "";
    const cronAt = (ms: number) => fetch(`${dash.stack.baseUrl}/cdn-cgi/local/scheduled?time=${ms}`);
    const zoneRow = (zone: string) =>
      dash.page.getByTestId("zone-progress").locator(`tr[data-zone="${zone}"]`);
    const mailCount = async (zone: (typeof ZONES)[number]) =>
      (await Promise.all(people[zone].map(async (e) => (await mailTo(e)).length))).reduce((a, b) => a + b, 0);

    it("sets up subscribers in three zones: by their field and where they signed up", async () => {
      await dash.setUpOwner(owner);
      const list = await call<{ id: string }>("POST", "/lists", {
        name: "Mornings",
        optIn: "single",
        visibility: "public",
      });
      await call("POST", "/fields", { key: "timezone", label: "Time zone", type: "text" });
      for (const email of people["Pacific/Auckland"]) {
        await call("POST", "/subscribers", {
          email,
          listIds: [list.id],
          fields: { timezone: "Pacific/Auckland" },
        });
      }
      for (const zone of ["Europe/Berlin", "America/New_York"] as const) {
        for (const email of people[zone]) {
          const signup = await fetch(`${dash.stack.baseUrl}/subscribe`, {
            method: "POST",
            headers: { "content-type": "application/json", [TEST_ZONE_HEADER]: zone },
            body: JSON.stringify({ email, listIds: [list.id] }),
          });
          expect(signup.status).toBe(200);
        }
      }
      const template = await call<{ id: string }>("POST", "/templates", {
        name: "Morning",
        subject: "Good morning",
        html: HTML,
      });
      const campaign = await call<{ id: string }>("POST", "/campaigns", {
        name: "Morning news",
        templateId: template.id,
        listIds: [list.id],
        fromName: "Morning",
        fromEmail: "news@example.com",
      });
      campaignId = campaign.id;
    });

    it("schedules 09:00 in each subscriber's time zone from the dialog", async () => {
      const page = dash.page;
      await page.goto(`/campaigns/${campaignId}`);
      await heading("Morning news");
      await page.getByRole("button", { name: "Schedule…" }).click();
      const dialog = page.getByRole("dialog", { name: "Schedule the campaign" });
      await dialog.getByLabel("Date").fill(DAY);
      await dialog.getByLabel("Time", { exact: true }).fill("09:00");
      await dialog.getByLabel("Deliver at this time in each subscriber's time zone").check();
      const summary = dialog.getByTestId("local-time-summary");
      await expect.poll(() => summary.textContent()).toContain("09:00");
      expect(await dialog.getByTestId("schedule-summary").textContent()).toContain("up to 26 hours");
      await dialog.getByRole("button", { name: "Schedule", exact: true }).click();
      await expect.poll(() => page.getByTestId("campaign-status").textContent()).toBe("scheduled");
      expect(await page.getByTestId("scheduled-local-time").textContent()).toContain("each subscriber");
      const saved = await call<{ localTime: boolean; sendAt: string }>("GET", `/campaigns/${campaignId}`);
      expect(saved.localTime).toBe(true);
      expect(Date.parse(saved.sendAt)).toBe(nineIn("Europe/Berlin"));
    });

    it("starts when the first zone on Earth gets there and shows every zone waiting", async () => {
      const page = dash.page;
      await cronAt(nineIn("Etc/GMT-14") + 1000);
      await expect
        .poll(
          async () =>
            (await call<{ audienceSize: number | null }>("GET", `/campaigns/${campaignId}`)).audienceSize,
        )
        .toBe(6);
      await page.reload();
      await expect.poll(() => page.getByTestId("campaign-status").textContent()).toBe("sending");
      for (const zone of ZONES) {
        await expect.poll(() => zoneRow(zone).getByTestId("zone-status").textContent()).toBe("Waiting");
      }
      expect(await zoneRow("Pacific/Auckland").textContent()).toContain(`${DAY} 09:00`);
      expect(await mailCount("Pacific/Auckland")).toBe(0);
    });

    it("releases zone by zone as time moves forward: the page follows and the mail arrives in order", async () => {
      for (const [i, zone] of ZONES.entries()) {
        await cronAt(nineIn(zone) + 1000);
        await expect
          .poll(() => zoneRow(zone).getByTestId("zone-status").textContent(), { timeout: 30_000 })
          .toBe("Done");
        expect(await zoneRow(zone).getByTestId("zone-sent").textContent()).toContain("2 of 2");
        await expect.poll(() => mailCount(zone)).toBe(2);
        for (const later of ZONES.slice(i + 1)) {
          expect(await zoneRow(later).getByTestId("zone-status").textContent()).toBe("Waiting");
          expect(await mailCount(later)).toBe(0);
        }
      }
      await expect
        .poll(() => dash.page.getByTestId("campaign-status").textContent(), { timeout: 30_000 })
        .toBe("sent");
      for (const zone of ZONES) expect(await mailCount(zone)).toBe(2);
      const subjects = await mailTo(people["Europe/Berlin"][0] ?? "");
      expect(subjects.map((m) => m.subject)).toEqual(["Good morning"]);
    });

    it("raised no errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });
  },
);

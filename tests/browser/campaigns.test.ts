import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The campaign pages in a real browser against a real Worker, its dev mailbox and an empty
 * database: build a campaign (template preview, lists with a live count), save it, send a test,
 * schedule it in another time zone, unschedule, send it now and follow it to "sent", read the
 * send log, and look at it all as an analyst. The steps share one page and run in order.
 */

const owner = { name: "Olive Owner", email: "olive@example.com", password: "correct horse battery staple" };
const analyst = { name: "Ana Analyst", email: "ana@example.com", password: "read only passphrase" };
const recipients = ["ann@example.com", "bob@example.com", "cy@example.com"];
const CAMPAIGN = "Spring launch";
const HTML = `<html><body><h1>Spring is here</h1><p>Hi {{ subscriber.name }}</p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>`;
/** A fixed future wall time in New York, in winter (UTC-05:00): 14:30Z, 15:30 in Berlin. */
const YEAR = new Date().getUTCFullYear() + 1;
const SCHEDULE = { date: `${YEAR}-01-15`, time: "09:30", zone: "America/New_York" };

describe.skipIf(!hasChromium)(
  "campaign pages in a real browser",
  { timeout: 90_000, sequential: true },
  () => {
    const dash = useDashboard({
      // One message a second through the dev relay: slow enough to pause a campaign while it sends.
      stack: { vars: { SMTP_MAX_PER_SECOND: "1" } },
      // The viewer is in Berlin, so "your time" differs from the zone the campaign is scheduled in.
      page: { timezoneId: "Europe/Berlin", locale: "en-GB" },
    });
    const { heading, settled, open, tableRows, call, mailTo } = dash;
    let campaignId = "";

    it("sets up the owner, a list with subscribers, a second list and a template", async () => {
      await dash.setUpOwner(owner);

      const launch = await call<{ id: string }>("POST", "/lists", { name: "Launch", optIn: "single" });
      const extra = await call<{ id: string }>("POST", "/lists", { name: "Partners", optIn: "single" });
      // Ann is on both lists: she is counted once.
      for (const email of recipients) {
        const name = email.split("@")[0]?.toUpperCase();
        const listIds = email === recipients[0] ? [launch.id, extra.id] : [launch.id];
        await call("POST", "/subscribers", { email, name, listIds });
      }
      await call("POST", "/subscribers", { email: "dee@example.com", name: "DEE", listIds: [extra.id] });
      await call("POST", "/templates", {
        name: "Spring template",
        subject: "Hello {{ subscriber.name }}",
        html: HTML,
      });
      await call("PATCH", "/settings", {
        defaultFromName: "Edgepost News",
        defaultFromEmail: "news@example.com",
      });
    });

    it("builds a campaign: sender defaults, template preview and a live audience count", async () => {
      const page = dash.page;
      await open("Campaigns");
      await page.getByRole("table", { name: "Campaigns" }).getByText("No campaigns yet.").waitFor();
      await page.getByRole("link", { name: "New campaign" }).click();
      await heading("New campaign");
      const form = page.getByRole("form", { name: "Campaign" });
      await expect.poll(() => form.getByLabel("From name").inputValue()).toBe("Edgepost News");
      expect(await form.getByLabel("From email").inputValue()).toBe("news@example.com");

      await form.getByLabel("Template", { exact: true }).selectOption({ label: "Spring template" });
      const frame = form.locator('iframe[title="Template preview"]');
      await frame.waitFor();
      expect(await frame.getAttribute("sandbox")).toBe("");
      await page
        .frameLocator('iframe[title="Template preview"]')
        .getByRole("heading", { name: "Spring is here" })
        .waitFor();
      expect(await form.getByTestId("preview-subject").textContent()).toMatch(/^Hello /);

      const count = form.getByTestId("audience-count");
      expect(await count.textContent()).toContain("Choose one or more lists");
      await form.getByRole("checkbox", { name: "Launch" }).check();
      await expect.poll(() => countText(count)).toBe("3 recipients");
      await form.getByRole("checkbox", { name: "Partners" }).check();
      await expect.poll(() => countText(count)).toBe("4 recipients");
      await form.getByRole("checkbox", { name: "Partners" }).uncheck();
      await expect.poll(() => countText(count)).toBe("3 recipients");
    });

    it("shows the server's message beside the name, then saves the draft", async () => {
      const page = dash.page;
      const form = page.getByRole("form", { name: "Campaign" });
      await form.getByRole("button", { name: "Create draft" }).click();
      await invalid(form, "Name").waitFor();

      await form.getByLabel("Name", { exact: true }).fill(CAMPAIGN);
      await form.getByRole("button", { name: "Create draft" }).click();
      await heading(CAMPAIGN);
      campaignId = new URL(page.url()).pathname.split("/").pop() ?? "";
      expect(campaignId).toMatch(/^[0-9a-f-]{36}$/);
      await settled();
      expect(await form.getByRole("checkbox", { name: "Launch" }).isChecked()).toBe(true);
      await expect.poll(() => countText(form.getByTestId("audience-count"))).toBe("3 recipients");
    });

    it("places the A/B test's server messages beside its fields, and saves the variants", async () => {
      const page = dash.page;
      const form = page.getByRole("form", { name: "Campaign" });
      await form.getByRole("checkbox", { name: "Run an A/B test" }).check();
      expect(await form.getByTestId("ab-explain").textContent()).toContain("the rest");
      await form.getByLabel("Variant 2 name").fill("A");
      await form.getByLabel("Test group (% of the audience)").fill("0");
      await form.getByRole("button", { name: "Save draft" }).click();
      await invalid(form, "Test group").waitFor();
      await form.getByText("variant names must differ").waitFor();

      await form.getByLabel("Variant 2 name").fill("Bold");
      await form.getByLabel("Variant 2 subject").fill("Spring is here!");
      await form.getByLabel("Test group (% of the audience)").fill("50");
      await form.getByRole("button", { name: "Save draft" }).click();
      await page.getByText("Draft saved.").waitFor();
      const saved = await call<{
        abTest: { testPercent: number; variants: { name: string; subject?: string }[] };
      }>("GET", `/campaigns/${campaignId}`);
      expect(saved.abTest.testPercent).toBe(50);
      expect(saved.abTest.variants).toEqual([{ name: "A" }, { name: "Bold", subject: "Spring is here!" }]);

      // This campaign goes out without a test: the winner would take a wait to pick.
      await form.getByRole("checkbox", { name: "Run an A/B test" }).uncheck();
      await form.getByRole("button", { name: "Save draft" }).click();
      await expect.poll(() => form.getByText("Unsaved changes").count()).toBe(0);
      expect((await call<{ abTest: unknown }>("GET", `/campaigns/${campaignId}`)).abTest).toBeNull();
    });

    it("sends a test and shows each address's result; the mailbox gets it", async () => {
      const page = dash.page;
      await page.getByRole("button", { name: "Send test…" }).click();
      const dialog = page.getByRole("dialog", { name: "Send a test" });
      await dialog.getByLabel("Send to").fill("tester@example.com");
      await dialog.getByRole("button", { name: "Send test" }).click();
      const result = dialog
        .getByRole("table", { name: "Test results" })
        .getByRole("row")
        .filter({ hasText: "tester@example.com" });
      await result.waitFor();
      expect(await result.textContent()).toContain("Accepted");
      await expect
        .poll(async () => (await mailTo("tester@example.com")).map((m) => m.subject))
        .toEqual(["[Test] Hello Sample Subscriber"]);
      await dialog.getByRole("button", { name: "Close" }).click();
    });

    it("schedules in a chosen time zone and shows the time there and in the viewer's zone", async () => {
      const page = dash.page;
      await page.getByRole("button", { name: "Schedule…" }).click();
      const dialog = page.getByRole("dialog", { name: "Schedule the campaign" });
      // The browser's own zone is the default.
      expect(await dialog.getByLabel("Time zone", { exact: true }).inputValue()).toBe("Europe/Berlin");
      await dialog.getByLabel("Date").fill(SCHEDULE.date);
      await dialog.getByLabel("Time", { exact: true }).fill(SCHEDULE.time);
      await dialog.getByLabel("Time zone", { exact: true }).selectOption(SCHEDULE.zone);
      const summary = dialog.getByTestId("schedule-summary");
      await expect.poll(() => summary.textContent()).toContain("in America/New_York (UTC-05:00)");
      expect(await summary.textContent()).toContain("09:30");
      expect(await dialog.getByTestId("schedule-local").textContent()).toContain(
        "15:30 your time (Europe/Berlin)",
      );
      await dialog.getByRole("button", { name: "Schedule", exact: true }).click();

      await expect.poll(() => page.getByTestId("campaign-status").textContent()).toBe("scheduled");
      const at = page.getByTestId("scheduled-at");
      expect(await at.textContent()).toContain("09:30");
      expect(await at.textContent()).toContain("America/New_York");
      expect(await page.getByTestId("scheduled-local").textContent()).toContain("15:30");
      const saved = await call<{ sendAt: string; timezone: string }>("GET", `/campaigns/${campaignId}`);
      expect(new Date(saved.sendAt).toISOString()).toBe(`${YEAR}-01-15T14:30:00.000Z`);
      expect(saved.timezone).toBe(SCHEDULE.zone);
    });

    it("unschedules back to a draft", async () => {
      const page = dash.page;
      await page.getByRole("button", { name: "Unschedule" }).click();
      await page.getByRole("form", { name: "Campaign" }).waitFor();
      await expect.poll(() => page.getByTestId("campaign-status").textContent()).toBe("draft");
    });

    it("sends now after a confirmation that states the audience, and follows it to sent", async () => {
      const page = dash.page;
      await page.getByRole("button", { name: "Send now…" }).click();
      const dialog = page.getByRole("dialog", { name: "Send this campaign now?" });
      expect(await dialog.getByTestId("send-now-count").textContent()).toContain("3 recipients");
      await dialog.getByRole("button", { name: "Send now" }).click();
      await page.getByRole("heading", { name: "Progress" }).waitFor();
      await expect
        .poll(() => page.getByTestId("campaign-status").textContent(), { timeout: 60_000, interval: 500 })
        .toBe("sent");
      await expect.poll(() => page.getByTestId("progress-sent").textContent()).toBe("3");
      expect(await page.getByTestId("progress-failed").textContent()).toBe("0");
      expect(await page.getByTestId("progress-queued").textContent()).toBe("0");
      const bar = page.getByRole("progressbar", { name: "Sending progress" });
      expect(await bar.getAttribute("value")).toBe("3");
      expect(await bar.getAttribute("max")).toBe("3");
      // No pause or cancel once it is sent.
      expect(await page.getByRole("button", { name: /^(Pause|Cancel campaign)$/ }).count()).toBe(0);
      for (const email of recipients) {
        await expect
          .poll(async () => (await mailTo(email)).map((m) => m.subject))
          .toEqual([`Hello ${email.split("@")[0]?.toUpperCase()}`]);
      }
    });

    it("shows every recipient as sent in the send log, filtered by status and address", async () => {
      const page = dash.page;
      await expect.poll(() => logEmails()).toEqual(recipients);
      for (const email of recipients) {
        const row = tableRows("Send log").filter({ hasText: email });
        expect(await row.textContent()).toContain("sent");
        expect(await row.getByTestId("last-reply").textContent()).toContain("250");
      }
      const filters = page.getByRole("form", { name: "Send log filters" });
      await filters.getByLabel("Status").selectOption("failed");
      await expect.poll(() => logEmails()).toEqual([]);
      await page
        .getByRole("table", { name: "Send log" })
        .getByText("No sends match these filters.")
        .waitFor();
      await filters.getByLabel("Status").selectOption("sent");
      await expect.poll(() => logEmails()).toEqual(recipients);
      await filters.getByLabel("Email").fill("bob");
      await filters.getByRole("button", { name: "Search" }).click();
      await expect.poll(() => logEmails()).toEqual(["bob@example.com"]);
      await filters.getByRole("button", { name: "Clear" }).click();
      await expect.poll(() => logEmails()).toEqual(recipients);
    });

    it("lists the campaign as sent, and filters the list by status", async () => {
      const page = dash.page;
      await open("Campaigns");
      const row = tableRows("Campaigns").filter({ hasText: CAMPAIGN });
      await row.waitFor();
      expect(await row.textContent()).toContain("3 sent");
      const filters = page.getByRole("form", { name: "Campaign filters" });
      await filters.getByLabel("Status").selectOption("draft");
      await page.getByRole("table", { name: "Campaigns" }).getByText("No draft campaigns.").waitFor();
      await filters.getByLabel("Status").selectOption("sent");
      await row.waitFor();
    });

    it("follows a slower send live, pauses, resumes and cancels it after a confirmation", async () => {
      const page = dash.page;
      const big = await call<{ id: string }>("POST", "/lists", { name: "Big", optIn: "single" });
      for (let i = 0; i < 20; i++) {
        await call("POST", "/subscribers", { email: `many-${i}@example.com`, listIds: [big.id] });
      }
      const templates = await call<{ data: { id: string }[] }>("GET", "/templates");
      const slow = await call<{ id: string }>("POST", "/campaigns", {
        name: "Slow send",
        templateId: templates.data[0]?.id,
        listIds: [big.id],
        fromName: "Edgepost News",
        fromEmail: "news@example.com",
      });
      await page.goto(`/campaigns/${slow.id}`);
      await heading("Slow send");
      await page.getByRole("button", { name: "Send now…" }).click();
      const confirm = page.getByRole("dialog", { name: "Send this campaign now?" });
      expect(await confirm.getByTestId("send-now-count").textContent()).toContain("20 recipients");
      await confirm.getByRole("button", { name: "Send now" }).click();

      // The numbers move without a reload while it sends.
      await expect.poll(() => page.getByTestId("campaign-status").textContent()).toBe("sending");
      await page.getByText("Updating every 2 seconds").waitFor();
      await expect
        .poll(async () => Number(await page.getByTestId("progress-sent").textContent()), { timeout: 30_000 })
        .toBeGreaterThan(0);
      expect(Number(await page.getByTestId("progress-sent").textContent())).toBeLessThan(20);

      await page.getByRole("button", { name: "Pause" }).click();
      await expect.poll(() => page.getByTestId("campaign-status").textContent()).toBe("paused");
      expect(await page.getByTestId("paused-reason").textContent()).toContain("Paused by a user");
      await page.getByRole("button", { name: "Resume" }).click();
      await expect.poll(() => page.getByTestId("campaign-status").textContent()).toBe("sending");

      // The list shows its progress too.
      await open("Campaigns");
      const row = tableRows("Campaigns").filter({ hasText: "Slow send" });
      await row.getByRole("progressbar", { name: "Progress of Slow send" }).waitFor();
      await row.getByRole("link", { name: "Slow send" }).click();
      await heading("Slow send");

      await page.getByRole("button", { name: "Cancel campaign" }).click();
      const cancel = page.getByRole("dialog", { name: "Cancel this campaign?" });
      await cancel.getByRole("button", { name: "Cancel campaign" }).click();
      await expect.poll(() => page.getByTestId("campaign-status").textContent()).toBe("cancelled");
      expect(await page.getByRole("button", { name: /^(Pause|Resume|Cancel campaign)$/ }).count()).toBe(0);
      await page.getByRole("form", { name: "Send log filters" }).getByLabel("Status").selectOption("skipped");
      await expect.poll(async () => (await logEmails())?.length ?? 0).toBeGreaterThan(0);
    });

    it("archives the cancelled campaign, which had sent, after a confirmation: it keeps its send log", async () => {
      const page = dash.page;
      await page.getByRole("button", { name: "Archive campaign" }).click();
      const dialog = page.getByRole("dialog", { name: "Archive this campaign?" });
      expect(await dialog.textContent()).toContain("send log");
      await dialog.getByRole("button", { name: "Archive campaign" }).click();
      await heading("Campaigns");
      await tableRows("Campaigns").filter({ hasText: CAMPAIGN }).waitFor();
      expect(await tableRows("Campaigns").filter({ hasText: "Slow send" }).count()).toBe(0);

      await page.getByRole("form", { name: "Campaign filters" }).getByLabel("Show").selectOption("archived");
      const row = tableRows("Campaigns").filter({ hasText: "Slow send" });
      await row.getByRole("link", { name: "Slow send" }).click();
      await heading("Slow send");
      await page.getByTestId("archived").waitFor();
      await page.getByRole("form", { name: "Send log filters" }).getByLabel("Status").selectOption("skipped");
      await expect.poll(async () => (await logEmails())?.length ?? 0).toBeGreaterThan(0);
      expect(await page.getByRole("button", { name: /^(Archive|Delete|Retry)/ }).count()).toBe(0);
    });

    it("shows campaigns read-only to an analyst", async () => {
      const page = dash.page;
      const draft = await call<{ id: string }>("POST", "/campaigns", {
        name: "Summer draft",
        templateId: (await call<{ data: { id: string }[] }>("GET", "/templates")).data[0]?.id,
        listIds: [],
        fromName: "Edgepost News",
        fromEmail: "news@example.com",
      });
      await call("POST", "/users", { ...analyst, role: "analyst" });
      await dash.signOut();
      await dash.signIn(analyst);

      await open("Campaigns");
      expect(await page.getByRole("link", { name: "New campaign" }).count()).toBe(0);
      await tableRows("Campaigns")
        .filter({ hasText: CAMPAIGN })
        .getByRole("link", { name: CAMPAIGN, exact: true })
        .click();
      await heading(CAMPAIGN);
      await expect.poll(() => logEmails()).toEqual(recipients);
      expect(
        await page
          .getByRole("button", { name: /^(Pause|Resume|Cancel campaign|Retry|Delete|Archive|Unschedule)/ })
          .count(),
      ).toBe(0);

      await page.goto(`/campaigns/${draft.id}`);
      await heading("Summer draft");
      await settled();
      const form = page.getByRole("form", { name: "Campaign" });
      expect(await form.getByLabel("Name", { exact: true }).isDisabled()).toBe(true);
      expect(
        await page.getByRole("button", { name: /^(Save draft|Send test|Schedule|Send now|Delete)/ }).count(),
      ).toBe(0);
    });

    it("shows why a campaign failed when no message could be built", async () => {
      const page = dash.page;
      // A recipient whose field asks the template for a hundred million loop turns: past the
      // render budget, so nothing is sent and the campaign ends as failed.
      await call("POST", "/fields", { key: "turns", label: "Turns", type: "number" });
      const list = await call<{ id: string }>("POST", "/lists", { name: "Unbuildable", optIn: "single" });
      await call("POST", "/subscribers", {
        email: "loop@example.com",
        fields: { turns: 100000000 },
        listIds: [list.id],
      });
      const template = await call<{ id: string }>("POST", "/templates", {
        name: "Loop template",
        subject: "Loops",
        html: '<p>{% for i in (1..subscriber.fields.turns) %}x{% endfor %}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
      });
      const failing = await call<{ id: string }>("POST", "/campaigns", {
        name: "Cannot render",
        templateId: template.id,
        listIds: [list.id],
        fromName: "Edgepost News",
        fromEmail: "news@example.com",
      });
      await call("POST", `/campaigns/${failing.id}/send`, {});
      await expect
        .poll(async () => (await call<{ status: string }>("GET", `/campaigns/${failing.id}`)).status, {
          timeout: 30_000,
        })
        .toBe("failed");
      await page.goto(`/campaigns/${failing.id}`);
      const banner = page.getByTestId("failure-reason");
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(
        /Failed\. No message was accepted: 1 failed\. .*could not build the message/,
      );
      expect(await page.getByTestId("campaign-status").first().textContent()).toBe("failed");
    });

    it("raised no uncaught errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });

    /** The count line without the "(updating…)" it shows while a newer count is on its way. */
    async function countText(count: Locator): Promise<string | null> {
      const text = (await count.textContent()) ?? "";
      return text.includes("updating") || text.includes("Counting") ? null : text.trim();
    }

    /** The send log's addresses once it has settled, sorted. */
    async function logEmails(): Promise<string[] | null> {
      if (
        (await dash.page
          .getByRole("table", { name: "Send log" })
          .locator("xpath=..")
          .getAttribute("aria-busy")) === "true"
      )
        return null;
      const cells = await tableRows("Send log").locator("td:first-child").allTextContents();
      return cells.sort();
    }

    function invalid(form: Locator, label: string): Locator {
      return form.locator(".field--invalid").filter({ hasText: label }).locator(".field__error");
    }
  },
);

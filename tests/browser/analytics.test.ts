import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { bounceToken } from "../../workers/lib/bounce-token";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The home page, the analytics page and a campaign report in a real browser, from a real send to
 * the dev mailbox, real open pixels and clicks (people and a privacy proxy), an unsubscribe and a
 * bounce. The steps share one page and run in order; each picks up where the previous one left off.
 */

const owner = { name: "Olive Owner", email: "olive@example.com", password: "correct horse battery staple" };
const people = ["ann@gmail.com", "bob@gmail.com", "cy@outlook.com", "dee@example.org"];
const CAMPAIGN = "Autumn offers";
const OFFER = "https://example.com/offer";
const HTML = `<html><body><h1>Autumn</h1><p>Hi {{ subscriber.name }}</p>
<p><a href="${OFFER}">Offer</a> <a href="https://example.com/blog">Blog</a></p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>`;
const BROWSER =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
/** Apple Mail Privacy Protection's agent: a machine open. */
const APPLE_PROXY = "Mozilla/5.0";

interface Links {
  pixel: string;
  clicks: string[];
  unsubscribe: string;
}

describe.skipIf(!hasChromium)(
  "analytics pages in a real browser",
  { timeout: 90_000, sequential: true },
  () => {
    const dash = useDashboard({ page: { locale: "en-US", timezoneId: "UTC" } });
    const { heading, settled, call } = dash;
    let campaignId = "";

    it("sets up the owner and shows the getting-started checklist on a fresh install", async () => {
      const page = dash.page;
      await dash.setUpOwner(owner);
      await page.getByRole("heading", { name: "Getting started" }).waitFor();
      await page.getByText("No campaign has been sent yet.").waitFor();
      expect(await page.getByTestId("kpi-sent").textContent()).toBe("0");
    });

    it("sends a campaign that is opened, clicked, unsubscribed from and bounced", async () => {
      // Clicks right after delivery would otherwise count as a link scanner's.
      await call("PATCH", "/settings", { sending: { scannerClickSeconds: 0 } });
      const list = await call<{ id: string }>("POST", "/lists", { name: "Readers", optIn: "single" });
      for (const email of people)
        await call("POST", "/subscribers", { email, name: "Reader", listIds: [list.id] });
      const template = await call<{ id: string }>("POST", "/templates", {
        name: "Autumn",
        subject: "Autumn offers",
        html: HTML,
      });
      const campaign = await call<{ id: string }>("POST", "/campaigns", {
        name: CAMPAIGN,
        templateId: template.id,
        listIds: [list.id],
        fromName: "Edgepost News",
        fromEmail: "news@example.com",
      });
      campaignId = campaign.id;
      await call("POST", `/campaigns/${campaignId}/send`, {});
      await expect
        .poll(async () => (await call<{ status: string }>("GET", `/campaigns/${campaignId}`)).status, {
          timeout: 60_000,
          interval: 500,
        })
        .toBe("sent");

      const [ann, bob, cy] = [await links(people[0]), await links(people[1]), await links(people[2])];
      // Ann opens twice and clicks the offer twice and the blog once; Cy opens and unsubscribes;
      // Bob's only "open" is Apple's proxy fetching the pixel. Ann's second open and second click
      // come within five minutes: one reading, counted once (#11).
      await hit(ann.pixel);
      await hit(ann.pixel);
      await hit(cy.pixel);
      await hit(bob.pixel, APPLE_PROXY);
      await hit(ann.clicks[0] ?? "");
      await hit(ann.clicks[0] ?? "");
      await hit(ann.clicks[1] ?? "");
      const unsubscribed = await fetch(cy.unsubscribe, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(unsubscribed.status).toBe(200);
      await bounce(people[3] ?? "");

      await expect
        .poll(async () => call<Record<string, number>>("GET", `/campaigns/${campaignId}/stats`), {
          timeout: 30_000,
          interval: 500,
        })
        .toMatchObject({
          sent: 4,
          opens: 2,
          uniqueOpens: 2,
          machineOpens: 1,
          clicks: 2,
          uniqueClicks: 1,
          bounces: 1,
        });
      // Cy is unsubscribed from the list, but the API records no event for a link unsubscribe (only sends, opens,
      // clicks, bounces and complaints reach the rollups), so the pages need only agree with it.
      const [cyRow] = (await call<{ data: { id: string }[] }>("GET", "/subscribers?q=cy%40")).data;
      const cyNow = await call<{ lists: { status: string }[] }>("GET", `/subscribers/${cyRow?.id}`);
      expect(cyNow.lists.map((l) => l.status)).toEqual(["unsubscribed"]);
    });

    it("shows the last 30 days and the recent campaign on the home page", async () => {
      const page = dash.page;
      const overview = await call<{ bounceRate: number; unsubscribes: number }>("GET", "/analytics/overview");
      await page.goto("/");
      await heading("Overview");
      await settled();
      await expectKpis({
        sent: "4",
        "open-rate": "50%",
        "click-rate": "25%",
        unsubscribes: String(overview.unsubscribes),
        "new-subscribers": "4",
      });
      expect(await page.getByTestId("kpi-bounce-rate").textContent()).toBe(percent(overview.bounceRate));
      expect(await page.getByTestId("kpi-open-rate").locator("xpath=..").textContent()).toContain(
        "2 of 4 opened",
      );
      await page.getByRole("img", { name: "Unique opens and clicks per day" }).waitFor();
      expect(await page.getByRole("heading", { name: "Getting started" }).count()).toBe(0);
      const recent = row("Recent campaigns", CAMPAIGN);
      expect(await recent.textContent()).toContain("50% (2)");
      expect(await recent.textContent()).toContain("25% (1)");
      expect(await recent.getByRole("link", { name: CAMPAIGN }).getAttribute("href")).toBe(
        `/analytics/campaigns/${campaignId}`,
      );
    });

    it("shows a range's figures on the analytics page, for presets and custom dates", async () => {
      const page = dash.page;
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Analytics", exact: true })
        .click();
      await heading("Analytics");
      await settled();
      await expectKpis({ sent: "4", "open-rate": "50%", "click-rate": "25%", "machine-opens": "1" });
      for (const name of [
        "Messages sent per day",
        "Unique opens and clicks per day",
        "Bounces and unsubscribes per day",
      ])
        await page.getByRole("img", { name }).waitFor();

      await page.getByRole("button", { name: "Last 7 days" }).click();
      await page.waitForURL("**/analytics?days=7");
      await settled();
      expect(await page.getByRole("button", { name: "Last 7 days" }).getAttribute("aria-pressed")).toBe(
        "true",
      );
      await expectKpis({ sent: "4", "click-to-open": "50%" });

      // The end before the start is refused beside the field; a past month has nothing in it.
      const today = new Date().toISOString().slice(0, 10);
      await page.getByRole("button", { name: "Custom…" }).click();
      const custom = page.getByRole("form", { name: "Custom range" });
      await custom.getByLabel("From").fill(today);
      await custom.getByLabel("To").fill("2020-01-01");
      await custom.getByRole("button", { name: "Apply" }).click();
      await custom
        .locator(".field--invalid")
        .filter({ hasText: "To" })
        .getByText("on or after the start date")
        .waitFor();
      await custom.getByLabel("From").fill("2020-01-01");
      await custom.getByLabel("To").fill("2020-01-31");
      await custom.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL("**/analytics?from=2020-01-01&to=2020-01-31");
      await settled();
      await expectKpis({ sent: "0" });
      await page.getByText("Nothing was sent, opened or clicked in this range.").waitFor();

      await custom.getByLabel("From").fill(today);
      await custom.getByLabel("To").fill(today);
      await custom.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(`**/analytics?from=${today}&to=${today}`);
      await settled();
      await expectKpis({ sent: "4", "open-rate": "50%" });
      expect(await page.getByTestId("analytics-range").textContent()).toContain(
        new Date().getUTCFullYear().toString(),
      );
    });

    it("lists the campaign with its rates and opens its report", async () => {
      const page = dash.page;
      const campaign = row("Campaigns", CAMPAIGN);
      await campaign.waitFor();
      expect(await campaign.textContent()).toContain("sent");
      expect(await campaign.textContent()).toContain("50% (2)");
      await campaign.getByRole("link", { name: CAMPAIGN }).click();
      await heading(CAMPAIGN);
      await settled();
      expect(new URL(page.url()).pathname).toBe(`/analytics/campaigns/${campaignId}`);
    });

    it("shows the report's headline figures with people and machine opens apart", async () => {
      const page = dash.page;
      const stats = await call<{ unsubscribes: number }>("GET", `/campaigns/${campaignId}/stats`);
      await expectKpis({
        audience: "4",
        sent: "4",
        delivered: "3",
        "unique-opens": "2",
        "unique-clicks": "1",
        "click-to-open": "50%",
        bounces: "1",
        complaints: "0",
        unsubscribes: String(stats.unsubscribes),
      });
      expect(await page.getByTestId("kpi-unique-opens").locator("xpath=..").textContent()).toContain(
        "50% open rate",
      );
      expect(await page.getByTestId("human-opens").textContent()).toBe("2");
      expect(await page.getByTestId("machine-opens").textContent()).toBe("1");
      await page.getByText("Apple Mail Privacy Protection").waitFor();
    });

    it("draws the timeline with a data table, unique or total, per minute for this recent send", async () => {
      const page = dash.page;
      const chart = page.getByRole("img", { name: "Opens and clicks per minute" });
      await chart.waitFor();
      expect(await chart.evaluate((svg) => svg.tagName.toLowerCase())).toBe("svg");
      const timeline = page.getByRole("region", { name: "Opens and clicks per minute" });
      await timeline.getByRole("button", { name: "Show data table" }).click();
      const data = page.getByRole("table", { name: "Opens and clicks per minute (data)" });
      await expect.poll(() => columnSum(data, "Unique opens")).toBe(2);
      expect(await columnSum(data, "Machine opens")).toBe(1);
      await timeline.getByText("Total", { exact: true }).click();
      await expect.poll(() => columnSum(data, "Opens")).toBe(2);
      expect(await columnSum(data, "Clicks")).toBe(2);
      // Keyboard: focus the chart and step to a point; its figures are shown and announced.
      await chart.focus();
      await page.keyboard.press("End");
      await page.locator(".chart__tooltip").waitFor();
      expect(await timeline.locator("[aria-live]").textContent()).toContain("Opens");
    });

    it("breaks the campaign down by link, recipient domain and bounce reason", async () => {
      const offer = row("Links", OFFER);
      await offer.waitFor();
      const cells = await offer.getByRole("cell").allTextContents();
      expect(cells.slice(0, 3)).toEqual([OFFER, "1", "1"]);
      expect(cells[3]).toContain("50%");
      expect(await row("Recipient domains", "gmail.com").textContent()).toContain("2 (50%)");
      expect(await row("Recipient domains", "outlook.com").textContent()).toContain("100% (1)");
      const reason = row("Bounces by reason", "No such user");
      expect(await reason.textContent()).toContain("hard");
      expect(dash.pageErrors).toEqual([]);
    });

    /** The tracked pixel, links and unsubscribe link of the message to `email`, QP soft breaks undone. */
    async function links(email = ""): Promise<Links> {
      let id: string | undefined;
      await expect
        .poll(async () => {
          id = (await dash.mailTo(email))[0]?.id;
          return id;
        })
        .toBeTruthy();
      const box = dash.stack.mailboxUrl;
      const raw = (await (await fetch(`${box}/api/messages/${id}/raw`)).text())
        .replace(/=\r\n/g, "")
        .replace(/=3D/g, "=");
      return {
        pixel: /https?:\/\/[^"\s]+\/o\/[A-Za-z0-9_-]+/.exec(raw)?.[0] ?? "",
        clicks: [...raw.matchAll(/https?:\/\/[^"\s]+\/c\/[A-Za-z0-9_-]+/g)].map((m) => m[0]),
        unsubscribe: /https?:\/\/[^"\s>]+\/u\/[A-Za-z0-9_.-]+/.exec(raw)?.[0] ?? "",
      };
    }

    async function hit(url: string, userAgent = BROWSER): Promise<void> {
      const res = await fetch(url, { redirect: "manual", headers: { "user-agent": userAgent } });
      expect([200, 302]).toContain(res.status);
    }

    /** A delivery status notification for `email`'s send, to its signed bounce address. */
    async function bounce(email: string): Promise<void> {
      const sends = await call<{ data: { id: string }[] }>(
        "GET",
        `/campaigns/${campaignId}/sends?q=${encodeURIComponent(email)}`,
      );
      const token = await bounceToken(dash.stack.secrets.TRACKING_SECRET ?? "", Number(sends.data[0]?.id));
      const to = `bounces+${token}@example.com`;
      const dsn = [
        "From: MAILER-DAEMON@mx.example.org",
        `To: ${to}`,
        "Subject: Undelivered Mail Returned to Sender",
        "Message-ID: <dsn-analytics@mx.example.org>",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        "",
        "--B",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.org",
        "",
        `Final-Recipient: rfc822; ${email}`,
        "Action: failed",
        "Status: 5.1.1",
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
        "",
        "--B--",
        "",
      ].join("\r\n");
      const query = `from=MAILER-DAEMON@mx.example.org&to=${encodeURIComponent(to)}`;
      await fetch(`${dash.stack.baseUrl}/cdn-cgi/handler/email?${query}`, { method: "POST", body: dsn });
    }

    /** Waits until each headline figure reads as given. */
    async function expectKpis(values: Record<string, string>): Promise<void> {
      for (const [key, value] of Object.entries(values))
        await expect
          .poll(() => dash.page.getByTestId(`kpi-${key}`).textContent(), { message: key })
          .toBe(value);
    }

    function row(table: string, text: string): Locator {
      return dash.page
        .getByRole("table", { name: table, exact: true })
        .locator("tbody > tr")
        .filter({ hasText: text });
    }

    /** The sum of one numeric column of a table. */
    async function columnSum(table: Locator, header: string): Promise<number> {
      const headers = await table.locator("thead th").allTextContents();
      const index = headers.indexOf(header);
      if (index < 0) return Number.NaN;
      const cells = await table.locator(`tbody tr > :nth-child(${index + 1})`).allTextContents();
      return cells.reduce((sum, text) => sum + Number(text.replace(/,/g, "")), 0);
    }

    function percent(fraction: number): string {
      return new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 }).format(fraction);
    }
  },
);

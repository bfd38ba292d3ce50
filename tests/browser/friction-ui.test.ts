import { describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The rough edges a new user met, in a real browser against real sends: analytics newest first
 * with links to reports, what a cancelled and a failed campaign say, a timeline per minute for a
 * recent send, names (not ids) in the audit log, 200-character names cut with the whole name on
 * hover, the import mapping step in a 1,400 px window, a searchable time-zone picker with current
 * IANA names, and an analyst who is never shown a form the server would refuse. The steps share
 * one page and run in order.
 */

const owner = { name: "Olive Owner", email: "olive@example.com", password: "correct horse battery staple" };
const analyst = { name: "Andy Analyst", email: "andy@example.com", password: "another horse battery staple" };
const HTML = `<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`;
/** Past the render budget for a subscriber whose `n` is huge: every message fails to build. */
const UNBUILDABLE = `<p>{% for i in (1..subscriber.fields.n) %}x{% endfor %}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`;
/** 200 characters, the most a name may have, in one word: nothing to wrap at. */
const LONG = `Long${"n".repeat(192)}name`;

interface Campaign {
  id: string;
  status: string;
}

describe.skipIf(!hasChromium)(
  "friction found in the new-user walk",
  { timeout: 120_000, sequential: true },
  () => {
    const dash = useDashboard({
      // Two messages a second: slow enough to cancel a campaign of twelve while it sends.
      stack: { vars: { SMTP_MAX_PER_SECOND: "2" } },
      page: { locale: "en-GB", timezoneId: "UTC", viewport: { width: 1400, height: 900 } },
    });
    const { heading, settled, tableRows, call } = dash;
    const ids: Record<string, string> = {};

    const waitFor = async (id: string, status: string) =>
      expect
        .poll(async () => (await call<Campaign>("GET", `/campaigns/${id}`)).status, {
          timeout: 60_000,
          interval: 300,
        })
        .toBe(status);

    const campaign = async (name: string, listId: string, templateId: string) => {
      const made = await call<Campaign>("POST", "/campaigns", {
        name,
        templateId,
        listIds: [listId],
        fromName: "Edgepost News",
        fromEmail: "news@example.com",
      });
      return made.id;
    };

    /** No horizontal scroll bar on the page: wide content scrolls inside its own frame, or is cut. */
    const pageFits = () =>
      dash.page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth");

    it("sets up the owner and sends, cancels and fails campaigns", async () => {
      await dash.setUpOwner(owner);
      await call("POST", "/fields", { key: "n", label: "N", type: "number" });
      const readers = await call<{ id: string }>("POST", "/lists", { name: "Readers", optIn: "single" });
      const many = await call<{ id: string }>("POST", "/lists", { name: "Many", optIn: "single" });
      const broken = await call<{ id: string }>("POST", "/lists", { name: "Broken", optIn: "single" });
      ids.long = (await call<{ id: string }>("POST", "/lists", { name: LONG, optIn: "single" })).id;
      for (const email of ["ann@example.com", "bob@example.com"])
        await call("POST", "/subscribers", { email, name: "Reader", listIds: [readers.id] });
      for (let i = 0; i < 12; i++)
        await call("POST", "/subscribers", { email: `many-${i}@example.com`, listIds: [many.id] });
      await call("POST", "/subscribers", {
        email: "loop@example.com",
        name: LONG,
        fields: { n: 100_000_000 },
        listIds: [broken.id],
      });
      const plain = await call<{ id: string }>("POST", "/templates", {
        name: LONG,
        subject: "Hello",
        html: HTML,
      });
      const loop = await call<{ id: string }>("POST", "/templates", {
        name: "Loop",
        subject: "Loop",
        html: UNBUILDABLE,
      });
      await call("POST", "/segments", { name: LONG, rules: { list: readers.id } });
      await campaign(LONG, readers.id, plain.id);

      // Made first, sent last: newest first means by sending, not by creation.
      ids.first = await campaign("Made first", readers.id, plain.id);
      ids.second = await campaign("Made second", readers.id, plain.id);
      await call("POST", `/campaigns/${ids.second}/send`, {});
      await waitFor(ids.second, "sent");
      await call("POST", `/campaigns/${ids.first}/send`, {});
      await waitFor(ids.first, "sent");

      ids.cancelled = await campaign("Stopped midway", many.id, plain.id);
      await call("POST", `/campaigns/${ids.cancelled}/send`, {});
      await expect
        .poll(
          async () => (await call<{ sentCount: number }>("GET", `/campaigns/${ids.cancelled}`)).sentCount,
          {
            timeout: 30_000,
            interval: 100,
          },
        )
        .toBeGreaterThan(0);
      await call("POST", `/campaigns/${ids.cancelled}/cancel`, {});

      ids.failed = await campaign("Nothing goes", broken.id, loop.id);
      await call("POST", `/campaigns/${ids.failed}/send`, {});
      await waitFor(ids.failed, "failed");
    });

    it("lists sent campaigns newest first on Analytics, each linking to its report", async () => {
      const page = dash.page;
      await page.goto("/analytics");
      await heading("Analytics");
      await settled();
      await page.getByText("All time, newest first").waitFor();
      const names = await tableRows("Campaigns").locator("td:first-child").allTextContents();
      expect(names.slice(0, 2)).toEqual(["Made first", "Made second"]);
      await tableRows("Campaigns").getByRole("link", { name: "Made first" }).click();
      await heading("Made first");
      expect(page.url()).toContain(`/analytics/campaigns/${ids.first}`);
      // A send of a few seconds is drawn per minute, not as one or two hourly dots.
      await page.getByRole("heading", { name: "Opens and clicks per minute" }).waitFor();

      // The campaigns page links a sent campaign to its report too, and so does its own page.
      await page.goto("/campaigns?status=sent");
      await heading("Campaigns");
      await settled();
      await tableRows("Campaigns")
        .filter({ hasText: "Made second" })
        .getByRole("link", { name: "Report" })
        .click();
      await heading("Made second");
      expect(page.url()).toContain(`/analytics/campaigns/${ids.second}`);
      await page.goto(`/campaigns/${ids.second}`);
      await heading("Made second");
      await page.getByRole("link", { name: "Report", exact: true }).click();
      await page.waitForURL(`**/analytics/campaigns/${ids.second}`);
    });

    it("says what a cancelled campaign skipped and that a failed one's messages all failed", async () => {
      const page = dash.page;
      const stats = await call<{ skipped: number; sent: number }>("GET", `/campaigns/${ids.cancelled}/stats`);
      expect(stats.skipped).toBeGreaterThan(0);
      expect(stats.sent + stats.skipped).toBe(12);

      await page.goto("/analytics?status=cancelled");
      await settled();
      expect(await tableRows("Campaigns").filter({ hasText: "Stopped midway" }).textContent()).toContain(
        `${stats.skipped} skipped`,
      );
      await page.goto(`/analytics/campaigns/${ids.cancelled}`);
      await heading("Stopped midway");
      await expect
        .poll(() => page.getByTestId("report-outcome").textContent())
        .toContain(`${stats.skipped} recipients were skipped and never sent to`);
      await page.goto(`/campaigns/${ids.cancelled}`);
      await heading("Stopped midway");
      await expect
        .poll(() => page.getByTestId("cancelled-skipped").textContent())
        .toContain(`${stats.skipped} recipients`);
      expect(await page.getByTestId("progress-skipped").textContent()).toBe(String(stats.skipped));

      await page.goto("/analytics?status=failed");
      await settled();
      expect(await tableRows("Campaigns").filter({ hasText: "Nothing goes" }).textContent()).toContain(
        "All 1 failed",
      );
      await page.goto(`/analytics/campaigns/${ids.failed}`);
      await heading("Nothing goes");
      await expect
        .poll(() => page.getByTestId("report-outcome").textContent())
        .toMatch(/All 1 messages failed: .+/);
    });

    it("shows names, not ids, in the audit log", async () => {
      const page = dash.page;
      await page.goto("/settings/audit-log");
      await heading("Audit log");
      await settled();
      const sent = tableRows("Audit log")
        .filter({ hasText: "campaign.send" })
        .filter({ hasText: "Made first" });
      await expect.poll(() => sent.count()).toBeGreaterThan(0);
      expect(await sent.first().textContent()).toContain("Olive Owner");
      const entries = await call<{
        data: { entity: string; entityName: string | null; actorName: string | null }[];
      }>("GET", "/audit-logs?entity=list&limit=10");
      expect(entries.data.map((e) => e.entityName)).toContain("Readers");
      expect(entries.data.every((e) => e.actorName === "Olive Owner")).toBe(true);
    });

    it("cuts a 200-character name with the whole name on hover instead of widening the tables", async () => {
      const page = dash.page;
      const pages = [
        ["/campaigns", "Campaigns"],
        ["/analytics?status=all", "Analytics"],
        ["/templates", "Templates"],
        ["/lists", "Lists"],
        ["/segments", "Segments"],
        ["/subscribers", "Subscribers"],
        ["/settings/audit-log", "Audit log"],
      ] as const;
      for (const [path, title] of pages) {
        await page.goto(path);
        await heading(title);
        await settled();
        const name = page.locator(`[title^="${LONG}"]`).first();
        await name.waitFor();
        const cut = await name.evaluate((el) => el.scrollWidth > el.clientWidth && el.clientWidth > 0);
        expect(cut, `${path}: the long name is cut`).toBe(true);
        expect(await pageFits(), `${path}: no horizontal scroll`).toBe(true);
      }
    });

    it("fits the import mapping step in a 1,400 px window", async () => {
      const page = dash.page;
      await call("POST", "/fields", { key: "long_field", label: LONG, type: "text" });
      const columns = Array.from({ length: 9 }, (_, i) => `Column number ${i + 1} with a rather long header`);
      const csv = [
        ["email", LONG, ...columns].join(","),
        ["x@example.com", LONG, ...columns.map(() => LONG)].join(","),
      ].join("\n");
      await page.goto("/imports/new");
      await heading("New import");
      await page.getByLabel("CSV file", { exact: true }).setInputFiles({
        name: "wide.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(csv, "utf8"),
      });
      await page.getByRole("table", { name: "Column mapping and preview" }).waitFor();
      expect(page.viewportSize()?.width).toBe(1400);
      expect(await pageFits()).toBe(true);
      // What does not fit scrolls inside the table's own frame, whose start stays in view.
      const box = await page.getByRole("table", { name: "Column mapping and preview" }).boundingBox();
      expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
      await page.getByRole("button", { name: /Start import/ }).scrollIntoViewIfNeeded();
      expect(await page.getByRole("button", { name: /Start import/ }).isVisible()).toBe(true);
    });

    it("finds time zones by part of a city or a country, under their current names", async () => {
      const page = dash.page;
      await page.goto("/settings/general");
      await heading("General");
      await settled();
      const zone = page.getByLabel("Time zone", { exact: true });
      const search = page.getByLabel("Search zones");
      await search.fill("kolk");
      await expect.poll(() => zone.inputValue()).toBe("Asia/Kolkata");
      expect(await zone.locator("option").allTextContents()).toEqual(["Asia/Kolkata"]);
      await search.fill("");
      const every = await zone.locator("option").allTextContents();
      expect(every).toContain("Europe/Kyiv");
      expect(every).not.toContain("Asia/Calcutta");
      expect(every).not.toContain("Europe/Kiev");
      await search.fill("India");
      expect(await zone.locator("option").allTextContents()).toContain("Asia/Kolkata");
      // The old name is still understood.
      await search.fill("Calcutta");
      expect(await zone.locator("option").allTextContents()).toEqual(["Asia/Kolkata"]);
      await search.fill("new york");
      await expect.poll(() => zone.inputValue()).toBe("America/New_York");
    });

    it("shows an analyst no form they cannot submit", async () => {
      const page = dash.page;
      await call("POST", "/users", { ...analyst, role: "analyst" });
      await dash.signOut();
      await dash.signIn(analyst);
      const offending =
        /^(New |Create|Add |Save|Delete|Import|Upload|Send|Start|Schedule|Invite|Edit|Duplicate|Resume|Retry)/;
      const visit = [
        "/",
        "/subscribers",
        "/lists",
        "/segments",
        "/segments/new",
        "/imports",
        "/imports/new",
        "/fields",
        "/suppressions",
        "/templates",
        "/templates/new",
        "/campaigns",
        "/campaigns/new",
        `/campaigns/${ids.second}`,
        "/workflows",
        "/analytics",
      ];
      for (const path of visit) {
        await page.goto(path);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await settled();
        const main = page.getByRole("main");
        const controls = [
          ...(await main.getByRole("button").allTextContents()),
          ...(await main.getByRole("link").allTextContents()),
        ].map((text) => text.trim());
        expect(
          controls.filter((text) => offending.test(text)),
          `${path} offers an analyst: ${controls.join(" | ")}`,
        ).toEqual([]);
      }
      await page.goto("/segments/new");
      await page.getByTestId("read-only").waitFor();
      await page.goto("/imports/new");
      await page.getByTestId("read-only").waitFor();
    });

    it("raised no errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });
  },
);

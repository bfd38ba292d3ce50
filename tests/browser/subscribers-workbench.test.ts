import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../workers/lib/csv";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The subscribers workbench in a real browser: search as you type (a slow, older answer never
 * replaces a newer one), sorting by a column header, the CSV export of the current filter, the
 * activity timeline with campaign and workflow names, and a Mailchimp export recognised by the
 * import wizard. The steps share one page and run in order.
 */

const owner = { name: "Wanda Owner", email: "wanda@example.com", password: "correct horse battery staple" };
const people = [
  ["annabel@example.com", "Annabel Archer"],
  ["anna@example.com", "Anna Berg"],
  ["annie@example.com", "Annie Cole"],
  ["bob@example.com", "Bob Dylan"],
  ["carol@example.com", "=Carol Formula"],
  ["dave@example.com", "Dave Evans"],
] as const;

async function sql(url: string, text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!hasChromium)(
  "subscribers workbench in a real browser",
  { timeout: 90_000, sequential: true },
  () => {
    const dash = useDashboard({ page: { acceptDownloads: true } });
    const { heading, settled, open, tableRows } = dash;
    const emails = async () =>
      (await tableRows("Subscribers").locator("td:first-child").allTextContents()).map((t) => t.trim());

    it("sets up the owner and the subscribers", async () => {
      await dash.setUpOwner(owner);
      for (const [email, name] of people) await dash.call("POST", "/subscribers", { email, name });
    });

    it("searches as you type; a slow answer to an older search never replaces the newer one", async () => {
      const page = dash.page;
      await open("Subscribers");
      // The answer for "ann" is held back until after the one for "annabel" has arrived.
      let held = 0;
      await page.route(/\/api\/v1\/subscribers\?.*q=ann(&|$)/, async (route) => {
        held++;
        await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      });
      const box = page.getByLabel("Search", { exact: true });
      await box.pressSequentially("ann", { delay: 20 });
      await page.waitForTimeout(400);
      await box.pressSequentially("abel", { delay: 20 });
      await page.waitForURL(/q=annabel/);
      await expect.poll(emails).toEqual(["annabel@example.com"]);
      await page.waitForTimeout(1800);
      expect(await emails()).toEqual(["annabel@example.com"]);
      expect(await box.inputValue()).toBe("annabel");
      // The pause did send the older search: its answer came last and was dropped.
      expect(held).toBe(1);
      await page.unroute(/\/api\/v1\/subscribers\?.*q=ann(&|$)/);

      // Typing fast sends one search, for the final text.
      await box.fill("");
      await box.pressSequentially("anni", { delay: 15 });
      await page.waitForURL(/q=anni(&|$)/);
      await expect.poll(emails).toEqual(["annie@example.com"]);
      await box.fill("");
      await box.pressSequentially("an", { delay: 15 });
      await page.waitForURL(/q=an(&|$)/);
      await expect
        .poll(async () => (await emails()).sort())
        .toEqual(["anna@example.com", "annabel@example.com", "annie@example.com"].sort());
    });

    it("sorts by clicking a column header, both ways, with the direction shown", async () => {
      const page = dash.page;
      const header = page.getByRole("columnheader", { name: /Email/ });
      await header.getByRole("button").click();
      await page.waitForURL(/sort=email&order=asc/);
      await settled();
      expect(await header.getAttribute("aria-sort")).toBe("ascending");
      await expect.poll(emails).toEqual(["anna@example.com", "annabel@example.com", "annie@example.com"]);
      await header.getByRole("button").click();
      await page.waitForURL(/sort=email&order=desc/);
      expect(await header.getAttribute("aria-sort")).toBe("descending");
      expect(await header.textContent()).toContain("▼");
      await expect.poll(emails).toEqual(["annie@example.com", "annabel@example.com", "anna@example.com"]);
      // The search box still holds the search; the address keeps both.
      expect(await page.getByLabel("Search", { exact: true }).inputValue()).toBe("an");
      expect(page.url()).toContain("q=an");
    });

    it("exports the current filter as a formula-safe CSV download", async () => {
      const page = dash.page;
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^subscribers-.*\.csv$/);
      const rows = parseCsv(readFileSync(await download.path(), "utf8")).map((r) => r.fields);
      expect(rows[0]?.slice(0, 3)).toEqual(["email", "name", "status"]);
      expect(rows.slice(1).map((r) => r[0])).toEqual([
        "annie@example.com",
        "annabel@example.com",
        "anna@example.com",
      ]);

      await page.getByLabel("Search", { exact: true }).fill("carol");
      await page.waitForURL(/q=carol/);
      await expect.poll(emails).toEqual(["carol@example.com"]);
      const [second] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      const carol = parseCsv(readFileSync(await second.path(), "utf8")).map((r) => r.fields);
      expect(carol[1]?.[1]).toBe("'=Carol Formula");
    });

    it("shows campaign and workflow names in the activity timeline, and deleted ones as such", async () => {
      const page = dash.page;
      const url = dash.stack.databaseUrl;
      const [bob] = await sql(url, "select id from subscribers where email = 'bob@example.com'");
      await sql(
        url,
        `with t as (insert into templates (id, name) values (gen_random_uuid(), 'Plain') returning id),
        c as (insert into campaigns (id, name, template_id, from_name, from_email)
              select gen_random_uuid(), 'Spring Launch', t.id, 'W', 'w@example.com' from t returning id),
        w as (insert into workflows (id, name) values (gen_random_uuid(), 'Welcome series') returning id),
        s as (insert into sends (workflow_id, subscriber_id, email, status)
              select w.id, $1, 'bob@example.com', 'sent' from w returning id)
       insert into events (kind, campaign_id, send_id, subscriber_id, occurred_at, dedupe_key)
       select 'open'::event_kind, c.id, null::bigint, $1::uuid, now() - interval '3 hours', 'wb-open-' || c.id from c
       union all select 'click', null, s.id, $1::uuid, now() - interval '2 hours', 'wb-click-' || s.id from s
       union all select 'open', gen_random_uuid(), null, $1::uuid, now() - interval '1 hour', 'wb-gone-' || $1`,
        [bob.id],
      );
      await page.goto(`/subscribers/${bob.id}`);
      await heading("bob@example.com");
      const timeline = page.getByRole("list", { name: "Activity" });
      await timeline.getByRole("link", { name: "Spring Launch" }).waitFor();
      expect(await timeline.getByRole("link", { name: "Spring Launch" }).getAttribute("href")).toMatch(
        /^\/campaigns\/[0-9a-f-]{36}$/,
      );
      expect(await timeline.getByRole("link", { name: "Welcome series" }).getAttribute("href")).toMatch(
        /^\/workflows\/[0-9a-f-]{36}$/,
      );
      expect(await timeline.textContent()).toContain("(deleted campaign)");
    });

    it("recognises a Mailchimp export in the import wizard and imports it", async () => {
      const page = dash.page;
      await open("Imports");
      await page.getByRole("link", { name: "New import" }).click();
      await heading("New import");
      await page.getByLabel("CSV file", { exact: true }).setInputFiles({
        name: "subscribed_members_export.csv",
        mimeType: "text/csv",
        buffer: readFileSync(join(__dirname, "../fixtures/imports/mailchimp-subscribed.csv")),
      });
      const note = page.getByTestId("import-preset");
      await note.waitFor();
      expect(await note.textContent()).toContain("Recognised as a Mailchimp export");
      const preview = page.getByRole("table", { name: "Column mapping and preview" });
      expect(await preview.getByLabel("Map column Email Address").inputValue()).toBe("email");
      expect(await preview.getByLabel("Map column First Name").inputValue()).toBe("name");
      expect(await preview.getByLabel("Map column Last Name").inputValue()).toBe("name");
      expect(await preview.getByLabel("Map column MEMBER_RATING").inputValue()).toBe("");
      // The mapping stays editable.
      await preview.getByLabel("Map column Last Name").selectOption("");
      await preview.getByLabel("Map column Last Name").selectOption("name");
      await page.getByRole("button", { name: "Start import" }).click();
      await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
      await page.getByTestId("import-status").filter({ hasText: "done" }).waitFor({ timeout: 60_000 });
      const job = await dash.call<{ inserted: number; preset: string }>(
        "GET",
        `/imports/${page.url().split("/").pop()}`,
      );
      expect(job).toMatchObject({ inserted: 3, preset: "mailchimp" });
      const ann = await dash.call<{ data: { name: string }[] }>("GET", "/subscribers?q=ann.archer");
      expect(ann.data[0]?.name).toBe("Ann Archer");
    });

    it("raised no errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });
  },
);

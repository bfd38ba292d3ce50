import { readFileSync } from "node:fs";
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The import wizard and the segment builder in a real browser against a real Worker, its imports
 * queue and an empty database: a messy CSV goes through upload, mapping, progress and summary, and
 * the imported people are then counted live by a segment with a nested group. The steps share one
 * page and run in order; each picks up where the previous one left off.
 */

const owner = { name: "Olive Owner", email: "olive@example.com", password: "correct horse battery staple" };

/**
 * Real-world mess: a BOM, semicolons, a quoted field holding the delimiter, a quoted field with a
 * line break (row 2 is one record over two lines), CRLF line ends, an invalid address (row 4) and
 * a duplicate of row 2 in a different case (row 5). Rows 2, 3 and 6 are good.
 */
const CSV = [
  "\uFEFFE-Mail;Full Name;City;Notes",
  'ada@example.com;Ada Lovelace;London;"first line\r\nsecond line"',
  'bob@example.com;"Bob; the builder";Paris;ok',
  "not-an-email;Nobody;Rome;bad",
  "ADA@Example.COM;Ada Again;Berlin;dup",
  "carol@example.com;Carol;Oslo;ok",
  "",
].join("\r\n");

describe.skipIf(!hasChromium)(
  "import wizard and segment builder in a real browser",
  { timeout: 90_000, sequential: true },
  () => {
    const dash = useDashboard({ page: { acceptDownloads: true } });
    const { heading } = dash;

    it("sets up the owner, then makes a field and a list through the API", async () => {
      const page = dash.page;
      await dash.createOwner(owner);
      await dash.call("POST", "/fields", { key: "city", label: "City", type: "text" });
      await dash.call("POST", "/lists", { name: "Newsletter", optIn: "single", visibility: "public" });

      await page.goto("/");
      await page.waitForURL("**/login");
      await dash.signIn(owner);
    });

    it("reads the messy CSV in the browser and guesses the mapping", async () => {
      const page = dash.page;
      await open("Imports");
      await page.getByRole("link", { name: "New import" }).click();
      await heading("New import");

      // Drag and drop works too: a tab-separated file dropped on the zone is read and previewed.
      const dropped = await page.evaluateHandle(`(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(["email\\tname\\nx@example.com\\tX\\n"], "other.tsv", { type: "text/tab-separated-values" }));
        return transfer;
      })()`);
      await page.getByTestId("dropzone").dispatchEvent("dragover", { dataTransfer: dropped });
      await page.getByTestId("dropzone").dispatchEvent("drop", { dataTransfer: dropped });
      await page.getByText("tab separated").waitFor();
      await page.getByRole("button", { name: "Choose another file" }).click();

      await page.getByLabel("CSV file", { exact: true }).setInputFiles({
        name: "contacts.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(CSV, "utf8"),
      });

      await page.getByText("semicolon separated").waitFor();
      const preview = page.getByRole("table", { name: "Column mapping and preview" });
      // The BOM is gone from the first column name, and each column got its guess.
      expect(await preview.getByLabel("Map column E-Mail", { exact: true }).inputValue()).toBe("email");
      expect(await preview.getByLabel("Map column Full Name").inputValue()).toBe("name");
      expect(await preview.getByLabel("Map column City").inputValue()).toBe("city");
      expect(await preview.getByLabel("Map column Notes").inputValue()).toBe("");
      // Five records: the quoted line break and the quoted semicolon stay inside their cells.
      expect(await preview.locator("tbody tr").count()).toBe(5);
      expect(await preview.getByRole("cell", { name: "Bob; the builder" }).count()).toBe(1);
      expect(await preview.locator("tbody tr").first().locator("td").nth(3).textContent()).toBe(
        "first line\r\nsecond line",
      );
    });

    it("maps the columns, chooses the list and starts the import", async () => {
      const page = dash.page;
      const preview = page.getByRole("table", { name: "Column mapping and preview" });
      // Without an email column the import cannot start.
      await preview.getByLabel("Map column E-Mail", { exact: true }).selectOption("");
      await page.getByText("Choose the column that holds the email address.").waitFor();
      expect(await page.getByRole("button", { name: "Start import" }).isDisabled()).toBe(true);
      await preview.getByLabel("Map column E-Mail", { exact: true }).selectOption("email");
      await preview.getByLabel("Map column Notes").selectOption("");

      await page.getByRole("checkbox", { name: /Newsletter/ }).check();
      await page.getByRole("radio", { name: /Update them/ }).check();
      const confirmations = page.getByRole("checkbox", {
        name: "Send confirmation mail to double opt-in lists",
      });
      expect(await confirmations.isChecked()).toBe(false);

      await page.getByRole("button", { name: "Start import" }).click();
      await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    });

    it("follows the progress to done and shows the summary and the failed rows", async () => {
      const page = dash.page;
      await heading("Import");
      await page.getByRole("progressbar", { name: "Import progress" }).waitFor();
      await page.getByTestId("import-status").filter({ hasText: "done" }).waitFor({ timeout: 60_000 });
      expect(await page.getByTestId("import-processed").textContent()).toContain(
        "5 of 5 rows processed (100%)",
      );

      await page.getByTestId("import-summary").waitFor();
      expect(await count("inserted")).toBe("3");
      expect(await count("updated")).toBe("0");
      expect(await count("skipped")).toBe("0");
      expect(await count("failed")).toBe("2");

      const failed = page.getByRole("table", { name: "Failed rows" });
      const rows = failed.locator("tbody tr");
      expect(await rows.count()).toBe(2);
      expect(await rows.nth(0).locator("td").first().textContent()).toBe("4");
      expect(await rows.nth(1).locator("td").first().textContent()).toBe("5");
    });

    it("downloads the failed rows as CSV", async () => {
      const page = dash.page;
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download failed rows (CSV)" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/failed-rows\.csv$/);
      const path = await download.path();
      const text = readFileSync(path, "utf8");
      const lines = text.trim().split(/\r?\n/);
      expect(lines[0]).toBe("row,email,reason");
      expect(lines).toHaveLength(3);
      expect(lines[1]).toMatch(/^4,not-an-email,/);
      expect(lines[2]?.toLowerCase()).toMatch(/^5,ada@example\.com,/);
    });

    it("lists the import, done with its counts, on the Imports page", async () => {
      const page = dash.page;
      await open("Imports");
      const row = page
        .getByRole("table", { name: "Imports" })
        .getByRole("row")
        .filter({ hasText: "contacts.csv" });
      await row.waitFor();
      const text = (await row.textContent()) ?? "";
      expect(text).toContain("done");
      expect(await row.locator("td").nth(3).textContent()).toBe("3");
      expect(await row.locator("td").nth(6).textContent()).toBe("2");
    });

    it("builds a segment with a nested group, watching the live count, and saves it", async () => {
      const page = dash.page;
      await open("Segments");
      await page.getByRole("link", { name: "New segment" }).click();
      await heading("New segment");
      await page.getByLabel("Name", { exact: true }).fill("Active, not in London or Paris");

      const rules = page.getByRole("group", { name: "Rules" });
      await rules.getByRole("button", { name: "+ Add condition" }).click();
      const first = rules.getByRole("group", { name: "Condition" }).first();
      await first.getByLabel("Condition type").selectOption("status");
      expect(await first.getByLabel("Status").inputValue()).toBe("active");
      await liveCount(3);

      await rules.getByRole("button", { name: "+ Add group" }).click();
      const nested = rules.getByRole("group", { name: "Group any of" });
      await nested.getByRole("group", { name: "Condition" }).first().getByLabel("Value").fill("London");
      await liveCount(1);
      await nested.getByRole("button", { name: "+ Add condition" }).click();
      await nested.getByRole("group", { name: "Condition" }).nth(1).getByLabel("Value").fill("Paris");
      await liveCount(2);
      expect(
        await page.getByRole("table", { name: "Sample of matching subscribers" }).locator("tbody tr").count(),
      ).toBe(2);

      await nested.getByLabel("Not").first().check();
      await liveCount(1);

      // A rule only the server can judge: its message appears on that condition, not in a banner.
      await rules.getByRole("button", { name: "+ Add condition" }).last().click();
      const engagement = rules.getByRole("group", { name: "Condition" }).last();
      await engagement.getByLabel("Condition type").selectOption("engagement");
      await engagement.getByLabel("Campaign", { exact: true }).selectOption("one");
      await engagement.getByLabel("Campaign id").fill("not-a-campaign");
      await engagement.getByTestId("rule-error").waitFor();
      expect(await engagement.getByTestId("rule-error").textContent()).toContain("campaign id");
      expect(await page.getByTestId("rule-error").count()).toBe(1);
      await engagement.getByRole("button", { name: "Remove condition" }).click();
      await liveCount(1);
      expect(await page.getByTestId("rule-error").count()).toBe(0);

      await page.getByRole("button", { name: "Create segment" }).click();
      await page.waitForURL(/\/segments\/[0-9a-f-]{36}$/);
      await heading("Active, not in London or Paris");
      // The saved rules come back as they were built: the nested group is still negated.
      expect(
        await page.getByRole("group", { name: "Group any of" }).getByLabel("Not").first().isChecked(),
      ).toBe(true);
      await liveCount(1);

      await open("Segments");
      await page
        .getByRole("table", { name: "Segments" })
        .getByRole("link", { name: "Active, not in London or Paris" })
        .waitFor();
    });

    it("raised no uncaught errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });

    async function count(name: string): Promise<string | null> {
      return dash.page.getByTestId(`import-${name}`).textContent();
    }

    /** Waits for the live preview to settle on `expected` matching subscribers. */
    async function liveCount(expected: number): Promise<void> {
      const label = `${expected} ${expected === 1 ? "subscriber" : "subscribers"}`;
      const counter: Locator = dash.page.getByTestId("segment-count");
      await expect.poll(async () => (await counter.textContent())?.trim(), { timeout: 15_000 }).toBe(label);
    }

    /** Opens an area from the sidebar: it loads without an error banner. */
    async function open(area: string): Promise<void> {
      await dash.open(area);
      expect(await dash.page.getByTestId("error-banner").count(), `error banner on ${area}`).toBe(0);
    }
  },
);

import { readFileSync } from "node:fs";
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The audience pages in a real browser against a real Worker and an empty database: a custom
 * field, lists, a subscriber with a field value found by search and filters, the subscriber page
 * (lists, export, erase) and the suppression an erasure leaves. The steps share one page and run
 * in order; each picks up where the previous one left off.
 */

const owner = { name: "Olive Owner", email: "olive@example.com", password: "correct horse battery staple" };
const ada = { email: "ada@example.com", name: "Ada Lovelace", plan: "pro" };
const bob = { email: "bob@example.com", name: "Bob Builder" };
const analyst = { name: "Ana Analyst", email: "ana@example.com", password: "read only passphrase" };

describe.skipIf(!hasChromium)(
  "audience pages in a real browser",
  { timeout: 60_000, sequential: true },
  () => {
    const dash = useDashboard({
      page: { acceptDownloads: true, permissions: ["clipboard-read", "clipboard-write"] },
    });
    const { heading, settled, open, tableRows, row, api } = dash;

    it("sets up the owner account", async () => {
      await dash.setUpOwner(owner);
    });

    it("shows the server's message beside a bad field key, then creates a choice field", async () => {
      const page = dash.page;
      await open("Fields");
      await page.getByRole("button", { name: "New field" }).click();
      const form = page.getByRole("form", { name: "New field" });
      await form.getByLabel("Key").fill("Bad Key");
      await form.getByLabel("Label").fill("Plan");
      await form.getByRole("button", { name: "Create field" }).click();
      await form.locator(".field--invalid").filter({ hasText: "Key" }).locator(".field__error").waitFor();

      await form.getByLabel("Key").fill("plan");
      await form.getByLabel("Type").selectOption("select");
      await form.getByLabel("Choices").fill("free\npro");
      await form.getByRole("button", { name: "Create field" }).click();
      await row("Fields", "plan").waitFor();
      expect(await row("Fields", "plan").textContent()).toContain("free, pro");
    });

    it("creates a public and a private list", async () => {
      const page = dash.page;
      await open("Lists");
      await createList("Newsletter", "public");
      await createList("Product updates", "private");
      const newsletter = row("Lists", "Newsletter");
      expect((await newsletter.textContent())?.toLowerCase()).toContain("public");
      // Only public lists offer a subscription form.
      await newsletter.getByRole("button", { name: "Form for Newsletter" }).click();
      const dialog = page.getByRole("dialog", { name: "Subscription form for Newsletter" });
      const snippet = (await dialog.getByTestId("form-snippet").textContent()) ?? "";
      expect(snippet).toContain("<form");
      await dialog.getByRole("button", { name: "Copy HTML" }).click();
      await dialog.getByRole("button", { name: "Copied" }).waitFor();
      // A string, not a function: this file is type-checked without the DOM library.
      expect(await page.evaluate("navigator.clipboard.readText()")).toBe(snippet);
      await dialog.getByRole("button", { name: "Close" }).click();
      expect(await row("Lists", "Product updates").getByRole("button", { name: /^Form/ }).count()).toBe(0);
    });

    it("creates subscribers, one with a field value and a list", async () => {
      const page = dash.page;
      await open("Subscribers");
      await createSubscriber(bob.email, bob.name);
      await createSubscriber(
        ada.email,
        ada.name,
        (form) => form.getByLabel("Plan").selectOption(ada.plan),
        "Newsletter",
      );

      const table = page.getByRole("table", { name: "Subscribers" });
      await table.getByRole("columnheader", { name: "Plan" }).waitFor();
      await row("Subscribers", ada.email).waitFor();
      expect(await row("Subscribers", ada.email).textContent()).toContain(ada.plan);
      await row("Subscribers", bob.email).waitFor();
    });

    it("refuses a duplicate address with the message beside the email", async () => {
      const page = dash.page;
      await page.getByRole("button", { name: "New subscriber" }).click();
      const form = page.getByRole("form", { name: "New subscriber" });
      await form.getByLabel("Email").fill(ada.email.toUpperCase());
      await form.getByRole("button", { name: "Add subscriber" }).click();
      await form.locator(".field--invalid").filter({ hasText: "Email" }).locator(".field__error").waitFor();
      await form.getByRole("button", { name: "Cancel" }).click();
    });

    it("finds subscribers by search, list and status", async () => {
      const page = dash.page;
      const filters = page.getByRole("form", { name: "Subscriber filters" });
      await filters.getByLabel("Search").fill("ada");
      await filters.getByRole("button", { name: "Search" }).click();
      await expectRows([ada.email]);

      await filters.getByRole("button", { name: "Clear" }).click();
      await expectRows([ada.email, bob.email]);

      await filters.getByLabel("List").selectOption({ label: "Newsletter" });
      await expectRows([ada.email]);
      expect(new URL(page.url()).searchParams.get("listId")).toBeTruthy();

      await filters.getByLabel("List").selectOption({ label: "All lists" });
      await filters.getByLabel("Status").selectOption("unsubscribed");
      await expectRows([]);
      await filters.getByLabel("Status").selectOption("active");
      await expectRows([ada.email, bob.email]);

      // Segments are built on their own page; one made through the API is enough to filter by.
      const segment = await api("POST", "/segments", {
        name: "Pro plan",
        rules: { field: "plan", op: "eq", value: ada.plan },
      });
      expect(segment.status).toBe(201);
      await page.reload();
      await heading("Subscribers");
      await filters.getByLabel("Segment").selectOption({ label: "Pro plan" });
      await expectRows([ada.email]);
      await filters.getByRole("button", { name: "Clear" }).click();
      await expectRows([ada.email, bob.email]);
    });

    it("opens the subscriber page from the row and adds them to a list", async () => {
      const page = dash.page;
      await row("Subscribers", ada.email).getByRole("cell", { name: ada.name }).click();
      await heading(ada.email);
      await settled();
      expect(await page.getByLabel("Plan").inputValue()).toBe(ada.plan);
      const memberships = page.getByRole("table", { name: "Lists and consent" });
      await memberships.getByRole("row").filter({ hasText: "Newsletter" }).waitFor();

      await page.getByLabel("Add to list").selectOption({ label: "Product updates (single opt-in)" });
      await page.getByRole("form", { name: "Add to a list" }).getByRole("button", { name: "Add" }).click();
      await memberships.getByRole("row").filter({ hasText: "Product updates" }).waitFor();
    });

    it("saves a profile change", async () => {
      const page = dash.page;
      await page.getByLabel("Name", { exact: true }).fill("Ada King");
      await page.getByRole("button", { name: "Save profile" }).click();
      await page.getByRole("form", { name: "Profile" }).getByText("Saved.").waitFor();
      await page.reload();
      await heading(ada.email);
      await expect.poll(() => page.getByLabel("Name", { exact: true }).inputValue()).toBe("Ada King");
    });

    it("exports everything held on the subscriber as a JSON file", async () => {
      const page = dash.page;
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export data" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^subscriber-.+\.json$/);
      const file = await download.path();
      const data = JSON.parse(readFileSync(file, "utf8")) as {
        profile: { email: string; fields: Record<string, unknown> };
        lists: { listName: string }[];
      };
      expect(data.profile.email).toBe(ada.email);
      expect(data.profile.fields.plan).toBe(ada.plan);
      expect(data.lists.map((list) => list.listName).sort()).toEqual(["Newsletter", "Product updates"]);
    });

    it("erases the subscriber after a confirmation, and the address stays suppressed", async () => {
      const page = dash.page;
      await page.getByRole("button", { name: "Erase" }).click();
      const dialog = page.getByRole("dialog", { name: "Erase this subscriber?" });
      expect(await dialog.textContent()).toContain("cannot be undone");
      expect(await dialog.textContent()).toContain("suppression list");
      await dialog.getByRole("button", { name: "Erase permanently" }).click();
      await heading("Subscribers");
      expect(new URL(page.url()).pathname).toBe("/subscribers");
      await expectRows([bob.email]);

      await open("Suppressions");
      await page.getByRole("table", { name: "Suppressions" }).getByText("erased (hash only)").waitFor();
    });

    it("adds a manual suppression and removes it after a confirmation", async () => {
      const page = dash.page;
      await open("Suppressions");
      await page.getByRole("button", { name: "Add suppression" }).click();
      const form = page.getByRole("form", { name: "Suppress an address" });
      await form.getByLabel("Email").fill("blocked@example.com");
      await form.getByLabel("Detail").fill("Asked by phone");
      await form.getByRole("button", { name: "Suppress address" }).click();
      await row("Suppressions", "blocked@example.com").waitFor();

      const filters = page.getByRole("form", { name: "Suppression filters" });
      await filters.getByLabel("Reason").selectOption("erased");
      await expect.poll(() => tableRows("Suppressions").count()).toBe(1);
      expect(await tableRows("Suppressions").first().textContent()).toContain("erased (hash only)");
      await filters.getByRole("button", { name: "Clear" }).click();

      await row("Suppressions", "blocked@example.com")
        .getByRole("button", { name: /^Remove/ })
        .click();
      await page
        .getByRole("dialog", { name: "Remove this suppression?" })
        .getByRole("button", { name: "Remove suppression" })
        .click();
      await expect.poll(() => row("Suppressions", "blocked@example.com").count()).toBe(0);
    });

    it("pages through subscribers on the server with Previous and Next", async () => {
      const page = dash.page;
      for (let i = 0; i < 50; i++) {
        const res = await api("POST", "/subscribers", {
          email: `bulk-${String(i).padStart(2, "0")}@example.com`,
        });
        expect(res.status).toBe(201);
      }

      await open("Subscribers");
      const range = page.getByTestId("table-range");
      await expect.poll(() => range.textContent()).toBe("Showing 1–50 of 51");
      expect(await tableRows("Subscribers").count()).toBe(50);
      await page.getByRole("button", { name: "Next" }).click();
      await expect.poll(() => range.textContent()).toBe("Showing 51–51 of 51");
      // Newest first: the one left on the last page is the oldest, Bob.
      await expectRows([bob.email]);
      expect(await page.getByRole("button", { name: "Next" }).isDisabled()).toBe(true);
      await page.getByRole("button", { name: "Previous" }).click();
      await expect.poll(() => range.textContent()).toBe("Showing 1–50 of 51");
    });

    it("archives a list with members and deletes an empty one, each after saying which", async () => {
      const page = dash.page;
      const list = await api<{ id: string }>("POST", "/lists", { name: "Old news" });
      const listId = list.body.id;
      const bobs = await api<{ data: { id: string }[] }>(
        "GET",
        `/subscribers?q=${encodeURIComponent(bob.email)}`,
      );
      const bobId = bobs.body.data[0]?.id;
      expect((await api("POST", `/subscribers/${bobId}/lists`, { add: [listId] })).status).toBe(200);

      await open("Lists");
      await row("Lists", "Old news").getByRole("button", { name: "Archive Old news" }).click();
      const archive = page.getByRole("dialog", { name: "Archive this list?" });
      expect(await archive.textContent()).toContain("consent records stay");
      await archive.getByRole("button", { name: "Archive list" }).click();
      await expect.poll(() => row("Lists", "Old news").count()).toBe(0);

      await row("Lists", "Product updates").getByRole("button", { name: "Delete Product updates" }).click();
      const remove = page.getByRole("dialog", { name: "Delete this list?" });
      await remove.getByRole("button", { name: "Delete list" }).click();
      await expect.poll(() => row("Lists", "Product updates").count()).toBe(0);

      await page.getByRole("form", { name: "List filters" }).getByLabel("Show").selectOption("archived");
      await row("Lists", "Old news").waitFor();
      expect(await row("Lists", "Old news").textContent()).toContain("Archived");
      expect(await row("Lists", "Old news").getByRole("button").count()).toBe(0);
      expect(await row("Lists", "Product updates").count()).toBe(0);

      // Its members can still be found by it, and their consent record is still there.
      await open("Subscribers");
      const filters = page.getByRole("form", { name: "Subscriber filters" });
      await filters.getByLabel("List").selectOption({ label: "Old news (archived)" });
      await expectRows([bob.email]);
      await row("Subscribers", bob.email).getByRole("link").click();
      await heading(bob.email);
      await settled();
      await page
        .getByRole("table", { name: "Lists and consent" })
        .getByRole("row")
        .filter({ hasText: "Old news" })
        .waitFor();
    });

    it("shows the audience read-only to an analyst", async () => {
      const page = dash.page;
      await open("Users");
      await page.getByRole("button", { name: "Invite user" }).click();
      const form = page.getByRole("form", { name: "Invite user" });
      await form.getByLabel("Email").fill(analyst.email);
      await form.getByLabel("Name", { exact: true }).fill(analyst.name);
      await form.getByLabel("Role").selectOption("analyst");
      await form.getByLabel("Initial password").fill(analyst.password);
      await form.getByRole("button", { name: "Create user" }).click();
      await row("Users", analyst.email).waitFor();

      await dash.signOut();
      await dash.signIn(analyst);

      await open("Subscribers");
      expect(await page.getByRole("button", { name: "New subscriber" }).count()).toBe(0);
      const filters = page.getByRole("form", { name: "Subscriber filters" });
      await filters.getByLabel("Search").fill("bob");
      await filters.getByRole("button", { name: "Search" }).click();
      await expectRows([bob.email]);
      await row("Subscribers", bob.email).getByRole("link").click();
      await heading(bob.email);
      await settled();
      expect(await page.getByLabel("Name", { exact: true }).isDisabled()).toBe(true);
      for (const name of ["Erase", "Export data", "Save profile"]) {
        expect(await page.getByRole("button", { name }).count(), name).toBe(0);
      }
      await open("Lists");
      expect(await page.getByRole("button", { name: /^(New list|Edit|Delete|Archive|Form)/ }).count()).toBe(
        0,
      );
      await open("Fields");
      expect(await page.getByRole("button", { name: /^(New field|Edit|Delete)/ }).count()).toBe(0);
      await open("Suppressions");
      expect(await page.getByRole("button", { name: /^(Add suppression|Remove)/ }).count()).toBe(0);
    });

    it("raised no uncaught errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });

    /** Waits until the subscriber table shows exactly these addresses, in any order. */
    async function expectRows(emails: string[]): Promise<void> {
      await expect
        .poll(async () => {
          if ((await dash.page.locator('[aria-busy="true"]').count()) > 0) return null;
          const texts = await tableRows("Subscribers").getByRole("link").allTextContents();
          return texts.sort();
        })
        .toEqual([...emails].sort());
    }

    async function createList(name: string, visibility: "public" | "private"): Promise<void> {
      await dash.page.getByRole("button", { name: "New list" }).click();
      const form = dash.page.getByRole("form", { name: "New list" });
      await form.getByLabel("Name").fill(name);
      await form.getByLabel("Visibility").selectOption(visibility);
      await form.getByRole("button", { name: "Create list" }).click();
      await row("Lists", name).waitFor();
    }

    async function createSubscriber(
      email: string,
      name: string,
      more?: (form: Locator) => Promise<unknown>,
      list?: string,
    ): Promise<void> {
      await dash.page.getByRole("button", { name: "New subscriber" }).click();
      const form = dash.page.getByRole("form", { name: "New subscriber" });
      await form.getByLabel("Email").fill(email);
      await form.getByLabel("Name", { exact: true }).fill(name);
      await more?.(form);
      if (list) await form.getByRole("checkbox", { name: list }).check();
      await form.getByRole("button", { name: "Add subscriber" }).click();
      await row("Subscribers", email).waitFor();
    }
  },
);

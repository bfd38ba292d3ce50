import { describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The dashboard in a real browser against a real Worker and an empty database: first-run setup,
 * sign-out and sign-in, every area of the sidebar, and the three settings pages doing real work.
 * The steps share one page and run in order; each picks up where the previous one left off.
 */

/** Every area the sidebar must offer; each page's h1 is its label. */
const AREAS = [
  "Overview",
  "Subscribers",
  "Lists",
  "Segments",
  "Imports",
  "Fields",
  "Suppressions",
  "Templates",
  "Campaigns",
  "Automations",
  "Analytics",
  "Relays",
  "Sending domains",
  "Users",
  "API keys",
  "Audit log",
  "Webhooks",
];

const owner = { name: "Olive Owner", email: "olive@example.com", password: "correct horse battery staple" };
const invited = { name: "Ivan Invited", email: "ivan@example.com", password: "another long passphrase" };

// retry: once, a step timed out on a fully loaded 2-core CI run (Postgres pass) and passed alone;
// the cause is not yet found. A real regression still fails twice.
describe.skipIf(!hasChromium)(
  "dashboard in a real browser",
  { timeout: 60_000, sequential: true, retry: 1 },
  () => {
    const dash = useDashboard();
    const { heading, open, signIn } = dash;

    it("sends a fresh install to first-run setup and lands in the dashboard as the owner", async () => {
      const page = dash.page;
      await dash.setUpOwner(owner);
      expect(new URL(page.url()).pathname).toBe("/");
      const who = await page.getByTestId("current-user").textContent();
      expect(who).toContain(owner.name);
      expect(who?.toLowerCase()).toContain("owner");
    });

    it("signs out to the login page and signs back in", async () => {
      await signOut();
      await signIn(owner);
    });

    it("opens every area from the sidebar, each with its heading and no error", async () => {
      const page = dash.page;
      for (const area of AREAS) {
        await open(area);
        expect(await page.getByTestId("error-banner").count(), `error banner on ${area}`).toBe(0);
      }
    });

    it("creates a user from the Users page and lists it", async () => {
      const page = dash.page;
      await open("Users");
      await page.getByRole("button", { name: "Invite user" }).click();
      const form = page.getByRole("form", { name: "Invite user" });
      await form.getByLabel("Email").fill(invited.email);
      await form.getByLabel("Name", { exact: true }).fill(invited.name);
      await form.getByLabel("Role").selectOption("editor");
      await form.getByLabel("Initial password").fill(invited.password);
      await form.getByRole("button", { name: "Create user" }).click();

      const row = page
        .getByRole("table", { name: "Users" })
        .getByRole("row")
        .filter({ hasText: invited.email });
      await row.waitFor();
      expect(await row.textContent()).toContain(invited.name);
      expect((await row.textContent())?.toLowerCase()).toContain("editor");
    });

    it("creates an API key and shows the full key once", async () => {
      const page = dash.page;
      await open("API keys");
      await page.getByRole("button", { name: "Create API key" }).click();
      const form = page.getByRole("form", { name: "Create API key" });
      await form.getByLabel("Name").fill("Browser test key");
      await form.getByLabel("Role").selectOption("analyst");
      await form.getByRole("button", { name: "Create key" }).click();

      const key = (await page.getByTestId("new-api-key").textContent())?.trim() ?? "";
      expect(key.length).toBeGreaterThan(20);
      await page.getByText("you will not see it again").waitFor();
      const row = page
        .getByRole("table", { name: "API keys" })
        .getByRole("row")
        .filter({ has: page.getByRole("cell", { name: "Browser test key", exact: true }) });
      await row.waitFor();
      // Whose the key is: the person it acts for.
      expect(await row.getByRole("cell").nth(2).textContent()).toBe(`${owner.name}${owner.email}`);

      await page.getByRole("button", { name: "I have saved it" }).click();
      expect(await page.getByTestId("new-api-key").count()).toBe(0);
    });

    it("shows the user.create entry in the audit log, with its details", async () => {
      const page = dash.page;
      await open("Audit log");
      const rows = page
        .getByRole("table", { name: "Audit log" })
        .getByRole("row")
        .filter({ has: page.getByRole("cell", { name: "user.create", exact: true }) });
      await rows.first().waitFor();
      await rows.first().getByRole("button", { name: "Show details" }).click();
      await page.getByTestId("audit-diff").first().waitFor();
    });

    it("signs out and stays signed out at the login page", async () => {
      const page = dash.page;
      await signOut();
      // A string, not a function: this file is type-checked without the DOM library.
      expect(await page.evaluate('localStorage.getItem("edgepost.refresh")')).toBeNull();
      await page.reload();
      await heading("Sign in");
      expect(new URL(page.url()).pathname).toBe("/login");
    });

    it("raised no uncaught errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });

    async function signOut(): Promise<void> {
      await dash.signOut();
      await dash.page.waitForURL((url) => url.pathname === "/login");
    }
  },
);

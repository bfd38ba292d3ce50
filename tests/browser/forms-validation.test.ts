import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * Every form speaks people's words: a bad value shows a message in the field's own terms beside
 * the field (never zod's "Too small: expected string…" or "Invalid UUID"), and the message goes
 * as soon as the field is fixed, before the form is sent again. Forms send only the keys the API
 * knows (the API refuses others), so each form also saves once fixed.
 */

const owner = { name: "Vera Valid", email: "vera@example.com", password: "a valid long passphrase" };
const RAW_ZOD = /Too small|Too big|Invalid (UUID|input|option)|expected (string|number)|Unrecognized key/;

/** The message shown beside the input labelled `label` inside `scope`, or null. */
async function messageOf(scope: Locator, label: string): Promise<string | null> {
  const input = scope.getByLabel(label, { exact: true });
  const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
  const id = describedBy.split(" ").find((part) => part.endsWith("-error"));
  if (!id) return null;
  return scope.page().locator(`[id="${id}"]`).textContent();
}

async function expectMessage(scope: Locator, label: string, pattern: RegExp) {
  await expect.poll(() => messageOf(scope, label)).toMatch(pattern);
  expect(await messageOf(scope, label)).not.toMatch(RAW_ZOD);
  expect(await scope.getByLabel(label, { exact: true }).getAttribute("aria-invalid")).toBe("true");
}

const noMessage = async (scope: Locator, label: string) => {
  await expect.poll(() => messageOf(scope, label)).toBeNull();
};

const dialog = (page: Page, name: string) => page.getByRole("form", { name });

describe.skipIf(!hasChromium)("form validation messages", { timeout: 90_000, sequential: true }, () => {
  const dash = useDashboard();
  const { open } = dash;

  it("starts signed in as the owner", async () => {
    await dash.setUpOwner(owner);
  });

  it("lists: a required name, cleared as soon as one is typed", async () => {
    const page = dash.page;
    await open("Lists");
    await page.getByRole("button", { name: "New list" }).click();
    const form = dialog(page, "New list");
    await form.getByRole("button", { name: "Create list" }).click();
    await expectMessage(form, "Name", /^Name is required$/);
    await form.getByLabel("Name", { exact: true }).fill("Newsletter");
    await noMessage(form, "Name");
    await form.getByRole("button", { name: "Create list" }).click();
    await dash.row("Lists", "Newsletter").waitFor();
  });

  it("fields: the key's rule in words, kept while still wrong, gone once right", async () => {
    const page = dash.page;
    await open("Fields");
    await page.getByRole("button", { name: "New field" }).click();
    const form = dialog(page, "New field");
    await form.getByLabel("Key", { exact: true }).fill("Favourite Colour");
    await form.getByRole("button", { name: "Create field" }).click();
    await expectMessage(form, "Label", /^Label is required$/);
    await expectMessage(form, "Key", /lower-case letters/);
    await form.getByLabel("Label", { exact: true }).fill("Favourite colour");
    await noMessage(form, "Label");
    await form.getByLabel("Key", { exact: true }).fill("favourite_colour");
    await form.getByRole("button", { name: "Create field" }).click();
    await dash.row("Fields", "favourite_colour").waitFor();
  });

  it("relays: number bounds in the field's terms; the message stays while the number is still too small", async () => {
    const page = dash.page;
    await open("Relays");
    await page.getByRole("button", { name: "Add relay" }).click();
    const form = dialog(page, "Add relay");
    await form.getByLabel("Name", { exact: true }).fill("Local");
    await form.getByLabel("Host", { exact: true }).fill("localhost");
    await form.getByLabel("Port", { exact: true }).fill("0");
    await form.getByLabel("Messages per second", { exact: true }).fill("0");
    await form.getByRole("button", { name: "Add relay" }).click();
    await expectMessage(form, "Port", /^Port must be between 1 and 65,535$/);
    await expectMessage(form, "Messages per second", /^Messages per second must be between 1 and/);
    await form.getByLabel("Port", { exact: true }).fill("-5");
    await expectMessage(form, "Port", /between 1 and 65,535/);
    await form.getByLabel("Port", { exact: true }).fill("2525");
    await noMessage(form, "Port");
    await form.getByLabel("Messages per second", { exact: true }).fill("5");
    await noMessage(form, "Messages per second");
    await form.getByRole("button", { name: "Add relay" }).click();
    await dash.row("Relays", "Local").waitFor();
  });

  it("users: an address checked in words; the message stays until the address is whole", async () => {
    const page = dash.page;
    await open("Users");
    await page.getByRole("button", { name: "Invite user" }).click();
    const form = page.getByRole("form", { name: "Invite user" });
    await form.getByLabel("Email", { exact: true }).fill("sam");
    await form.getByRole("button", { name: "Send invitation" }).click();
    await expectMessage(form, "Email", /^Enter a valid email address$/);
    await expectMessage(form, "Name", /^Name is required$/);
    await form.getByLabel("Email", { exact: true }).fill("sam@");
    await expectMessage(form, "Email", /valid email/);
    await form.getByLabel("Email", { exact: true }).fill("sam@example.com");
    await noMessage(form, "Email");
    await form.getByLabel("Name", { exact: true }).fill("Sam");
    await noMessage(form, "Name");
    await form.getByLabel("Initial password (optional)").fill("short");
    await form.getByRole("button", { name: "Create user" }).click();
    await expectMessage(form, "Initial password (optional)", /at least 12 characters/);
    await form.getByLabel("Initial password (optional)").fill("");
    await noMessage(form, "Initial password (optional)");
  });

  it("API keys: a required name", async () => {
    const page = dash.page;
    await open("API keys");
    await page.getByRole("button", { name: "Create API key" }).click();
    const form = page.getByRole("form", { name: "Create API key" });
    await form.getByRole("button", { name: "Create key" }).click();
    await expectMessage(form, "Name", /^Name is required$/);
    await form.getByLabel("Name", { exact: true }).fill("CI");
    await noMessage(form, "Name");
  });

  it("settings: a percentage in percent, a range in the field's unit, both cleared once fixed", async () => {
    const page = dash.page;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "General" }).click();
    const form = page.getByRole("form", { name: "General settings" });
    await form.getByLabel("Pause at bounce rate (%)").fill("500");
    await form.getByLabel("Keep raw events for (days)").fill("2");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expectMessage(form, "Pause at bounce rate (%)", /percentage between 0.1 and 100/);
    await form.getByLabel("Pause at bounce rate (%)").fill("5");
    await noMessage(form, "Pause at bounce rate (%)");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expectMessage(form, "Keep raw events for (days)", /between 7 and 3,650/);
    await form.getByLabel("Keep raw events for (days)").fill("5");
    await expectMessage(form, "Keep raw events for (days)", /between 7 and 3,650/);
    await form.getByLabel("Keep raw events for (days)").fill("30");
    await noMessage(form, "Keep raw events for (days)");
    await form.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();
  });

  it("campaigns: the builder's messages go as each input is fixed, the others stay", async () => {
    const page = dash.page;
    await open("Campaigns");
    await page.getByRole("link", { name: "New campaign" }).click();
    const form = page.getByRole("form", { name: "Campaign" });
    await form.getByLabel("From email").fill("news@");
    await form.getByRole("button", { name: "Create draft" }).click();
    await expectMessage(form, "Name", /^Name is required$/);
    await expectMessage(form, "Template", /^Choose a template$/);
    await expectMessage(form, "From email", /^Enter a valid email address$/);
    await form.getByLabel("Name", { exact: true }).fill("Spring news");
    await noMessage(form, "Name");
    await form.getByLabel("From email").fill("news@example");
    await expectMessage(form, "From email", /valid email/);
    await form.getByLabel("From email").fill("news@example.com");
    await noMessage(form, "From email");
    await expectMessage(form, "Template", /^Choose a template$/);
  });

  it("raised no errors in the page", () => {
    expect(dash.pageErrors).toEqual([]);
  });
});

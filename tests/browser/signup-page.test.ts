import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";
import type { MailDetail } from "../support/mailbox";

/**
 * The hosted signup page end to end in a real browser: the brand set in the settings, a double
 * opt-in list's form configured in its builder (a required custom field, a title, German), the
 * hosted page opened from the builder's link, a signup, the confirmation mail read from the dev
 * mailbox, its link followed, and the subscriber counted as confirmed on the Lists page.
 */

const owner = { name: "Sam Signup", email: "sam@example.com", password: "correct horse battery staple" };
const visitor = { email: "visitor@example.org", company: "Acme & Sons" };
const BUTTON_COLOUR = "#118844";

/** A computed style of an element (this file is type-checked without the DOM library). */
const styleOf = (element: Locator, property: string) =>
  element.evaluate(
    (node, name) =>
      (globalThis as unknown as { getComputedStyle(n: unknown): Record<string, string> }).getComputedStyle(
        node,
      )[name],
    property,
  );

describe.skipIf(!hasChromium)("the hosted signup page", { timeout: 90_000, sequential: true }, () => {
  const dash = useDashboard();
  const { heading, settled, open, row, call } = dash;
  let listId = "";

  it("sets up the owner, a custom field and a double opt-in public list", async () => {
    await dash.setUpOwner(owner);
    await call("POST", "/fields", { key: "company", label: "Company", type: "text" });
    await call("POST", "/fields", { key: "plan", label: "Plan", type: "select", options: ["free", "pro"] });
    const list = await call<{ id: string }>("POST", "/lists", {
      name: "Weekly",
      optIn: "double",
      visibility: "public",
    });
    listId = list.id;
  });

  it("sets the brand's button colour and style in the settings, with a live preview", async () => {
    const page = dash.page;
    await open("General");
    const form = page.getByRole("form", { name: "General settings" });
    await form.getByLabel("Button colour", { exact: true }).fill("green");
    await form.getByRole("button", { name: "Save settings" }).click();
    await form.locator(".field--invalid").filter({ hasText: "Button colour" }).waitFor();

    await form.getByLabel("Button colour", { exact: true }).fill(BUTTON_COLOUR);
    await form.getByLabel("Button style").selectOption("pill");
    const button = page.getByTestId("brand-preview").getByRole("button", { name: "Subscribe" });
    await expect.poll(() => styleOf(button, "borderRadius")).toBe("999px");
    expect(await styleOf(button, "backgroundColor")).toBe("rgb(17, 136, 68)");
    await form.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").getByText("Settings saved.").waitFor();
    expect(await form.locator(".field--invalid").count()).toBe(0);
  });

  it("configures the list's form in its builder and previews the page and the embed snippet", async () => {
    const page = dash.page;
    await open("Lists");
    await row("Lists", "Weekly").getByRole("link", { name: "Signup page of Weekly" }).click();
    await heading("Signup form for Weekly");
    await settled();
    const form = page.getByRole("form", { name: "Signup form settings" });
    await form.getByLabel("Title").fill("Join Weekly <now>");
    await form.getByLabel("Ask for Company").check();
    await form.getByLabel("Company is required").check();
    await form.getByLabel("Button label").fill("Sign me up");
    await form.getByLabel("Page language").selectOption("de");

    const frame = page.getByTitle("Preview of the hosted signup page");
    await expect.poll(() => frame.getAttribute("srcdoc")).toContain("Join Weekly &lt;now&gt;");
    const previewed = (await frame.getAttribute("srcdoc")) ?? "";
    expect(previewed).toContain('name="fields[company]"');
    expect(previewed).toContain('<html lang="de">');
    expect(previewed).toContain(BUTTON_COLOUR);
    const snippet = page.getByTestId("embed-snippet");
    await expect.poll(() => snippet.textContent()).toContain('name="fields[company]"');
    expect(await snippet.textContent()).toContain("Sign me up");

    await form.getByRole("button", { name: "Save signup form" }).click();
    await page.getByRole("status").getByText("Signup form saved.").waitFor();
    const saved = await call<{ form: { title: string; fields: unknown[] }; language: string }>(
      "GET",
      `/lists/${listId}`,
    );
    expect(saved).toMatchObject({
      language: "de",
      form: { title: "Join Weekly <now>", fields: [{ key: "company", required: true }] },
    });
  });

  it("signs up on the hosted page, confirms from the mailbox, and the list counts them confirmed", async () => {
    const page = dash.page;
    const link = page.getByTestId("hosted-page-link");
    const url = (await link.getAttribute("href")) ?? "";
    expect(url).toMatch(new RegExp(`/subscribe/${listId}$`));

    await page.goto(url);
    await page.getByRole("heading", { level: 1, name: "Join Weekly <now>" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    const submit = page.getByRole("button", { name: "Sign me up" });
    expect(await styleOf(submit, "backgroundColor")).toBe("rgb(17, 136, 68)");
    // The list is German: so are the page's own words (the form's texts are the list owner's).
    await page.getByLabel("E-Mail").fill(visitor.email);
    await submit.click();
    // The browser keeps the required company field from being sent empty.
    expect(page.url()).toBe(url);
    await page.getByLabel("Company").fill(visitor.company);
    await submit.click();
    await page.getByRole("heading", { level: 1, name: "Bitte prüfen Sie Ihr Postfach" }).waitFor();

    const mail = await waitForMail(visitor.email);
    const detail = (await (
      await fetch(`${dash.stack.mailboxUrl}/api/messages/${mail}`)
    ).json()) as MailDetail;
    const confirm = /(https?:\/\/\S+\/confirm\/[A-Za-z0-9_.-]+)/.exec(detail.text)?.[1];
    expect(confirm).toBeTruthy();
    await page.goto(confirm ?? "");
    await page.getByRole("heading", { level: 1, name: "Anmeldung bestätigt" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("de");

    await page.goto("/lists");
    await heading("Lists");
    await settled();
    const cells = await row("Lists", "Weekly").getByRole("cell").allTextContents();
    // Name, kind, confirmed, unconfirmed, unsubscribed, actions.
    expect(cells.slice(2, 5)).toEqual(["1", "0", "0"]);
    const found = await call<{ data: { email: string; fields: Record<string, unknown> }[] }>(
      "GET",
      `/subscribers?listId=${listId}`,
    );
    expect(found.data).toEqual([
      expect.objectContaining({ email: visitor.email, fields: { company: visitor.company } }),
    ]);
  });

  it("raised no errors in the page", () => {
    expect(dash.pageErrors).toEqual([]);
  });

  async function waitForMail(email: string): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = (await dash.mailTo(email))[0];
      if (found) return found.id;
      if (Date.now() > deadline) throw new Error(`no message to ${email} after 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
});

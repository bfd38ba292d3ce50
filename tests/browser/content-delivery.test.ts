import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/net";
import { startServer, type TestServer } from "../mail/servers";
import { hasChromium, useDashboard } from "../support/browser";
import { type DnsDouble, startDnsDouble } from "../support/dns-double";
import type { MailSummary } from "../support/mailbox";

/**
 * The content and delivery pages in a real browser against a real Worker, its dev mailbox, an SMTP
 * server of the test's own and a DNS double: general settings, a template written in the editor
 * (a Liquid error marked at its line, the live preview, versions, a diff, a restore, a test send),
 * relays with their connection test, a sending domain verified against DNS, and all of it read-only
 * to an analyst. The steps share one page and run in order.
 */

const owner = { name: "Olive Owner", email: "olive@example.com", password: "correct horse battery staple" };
const analyst = { name: "Ana Analyst", email: "ana@example.com", password: "read only passphrase" };
const ADDRESS = "Edgepost Ltd, 1 Harbour Street, Bristol";
const SENDER = { name: "Edgepost News", email: "news@mail.example.org" };
const TEMPLATE = "Spring newsletter";
const DOMAIN = "mail.example.org";

/** Line 3 opens an `if` it never closes. */
const BROKEN_HTML = `<html><body>
<h1>Spring news</h1>
<p>{% if subscriber.name %}Hello {{ subscriber.name }}</p>
<p>{{ postal_address }}</p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>
</body></html>`;
const FIXED_HTML = BROKEN_HTML.replace("{{ subscriber.name }}</p>", "{{ subscriber.name }}{% endif %}</p>");

describe.skipIf(!hasChromium)(
  "content and delivery pages in a real browser",
  { timeout: 60_000, sequential: true },
  () => {
    let dns: DnsDouble | undefined;
    let smtp: TestServer | undefined;
    // Registered before the fixture's hooks: these start first and stop after the stack.
    beforeAll(async () => {
      dns = await startDnsDouble();
      smtp = await startServer();
    }, 60_000);
    afterAll(async () => {
      await smtp?.close();
      await dns?.stop();
    }, 60_000);
    const dash = useDashboard({
      stack: () => ({ vars: { DNS_RESOLVER_URL: `${dns?.url}/dns-query` } }),
      page: { permissions: ["clipboard-read", "clipboard-write"] },
    });
    const { heading, settled, open, tableRows, row, api, codeField, codeEditorText: editorText } = dash;

    it("sets up the owner account", async () => {
      await dash.setUpOwner(owner);
    });

    it("shows the server's message beside a bad setting, then saves the address and sender", async () => {
      const page = dash.page;
      await open("General");
      const form = page.getByRole("form", { name: "General settings" });
      await form.getByLabel("Keep raw events for (days)").fill("3");
      await form.getByRole("button", { name: "Save settings" }).click();
      await invalid(form, "Keep raw events for (days)").waitFor();

      await form.getByLabel("Keep raw events for (days)").fill("90");
      await form.getByLabel("Postal address").fill(ADDRESS);
      await form.getByLabel("Default sender name").fill(SENDER.name);
      await form.getByLabel("Default sender email").fill(SENDER.email);
      await form.getByLabel("Time zone").selectOption("Europe/Berlin");
      await form.getByRole("button", { name: "Save settings" }).click();
      await page.getByRole("status").getByText("Settings saved.").waitFor();
      expect(await form.locator(".field--invalid").count()).toBe(0);

      await page.reload();
      await heading("General");
      await settled();
      expect(await form.getByLabel("Postal address").inputValue()).toBe(ADDRESS);
      expect(await form.getByLabel("Default sender email").inputValue()).toBe(SENDER.email);
      expect(await form.getByLabel("Keep raw events for (days)").inputValue()).toBe("90");
      expect(await form.getByLabel("Time zone").inputValue()).toBe("Europe/Berlin");
    });

    it("marks a Liquid error at its line in the editor and the problems list, then clears it", async () => {
      const page = dash.page;
      await open("Templates");
      await page.getByRole("link", { name: "New template" }).click();
      await heading("New template");
      // The starter already carries what campaigns need.
      const starter = await editorText("HTML");
      expect(starter).toContain("{{ unsubscribe_url }}");
      expect(starter).toContain("{{ postal_address }}");

      await page.getByLabel("Name", { exact: true }).fill(TEMPLATE);
      await page.getByLabel("Subject", { exact: true }).fill("News for {{ subscriber.name }}");
      await replaceEditorText("HTML", BROKEN_HTML);
      const problems = page.getByRole("list", { name: "Template problems" });
      await problems.getByText("HTML, line 3, column 4:").waitFor();
      expect(await problems.textContent()).toContain("not closed");
      const editor = codeField("HTML");
      await editor.locator(".cm-lint-marker-error").first().waitFor();
      await editor.locator(".cm-lintRange-error").first().waitFor();
      // The marker sits on line 3: the third line of the gutter.
      const markedLine = await editor
        .locator(".cm-gutter-lint .cm-gutterElement")
        .filter({ has: page.locator(".cm-lint-marker-error") })
        .boundingBox();
      const line3 = await editor.locator(".cm-line").nth(2).boundingBox();
      expect(Math.abs((markedLine?.y ?? 0) - (line3?.y ?? -100))).toBeLessThan(4);

      await replaceEditorText("HTML", FIXED_HTML);
      await page.getByText("No Liquid syntax errors.").waitFor();
      expect(await problems.count()).toBe(0);
      await expect.poll(() => editor.locator(".cm-lint-marker-error").count()).toBe(0);
    });

    it("warns while a campaign template has no unsubscribe link", async () => {
      const page = dash.page;
      await replaceEditorText(
        "HTML",
        FIXED_HTML.replace('<a href="{{ unsubscribe_url }}">Unsubscribe</a>', ""),
      );
      await page.getByTestId("unsubscribe-warning").waitFor();
      await replaceEditorText("HTML", FIXED_HTML);
      await expect.poll(() => page.getByTestId("unsubscribe-warning").count()).toBe(0);
    });

    it("creates the template and previews it rendered, with the saved postal address", async () => {
      const page = dash.page;
      await page.getByRole("button", { name: "Create template" }).click();
      await heading(TEMPLATE);
      await page.waitForURL(/\/templates\/[0-9a-f-]{36}$/);
      await settled();
      await expect.poll(() => previewText()).toContain(ADDRESS);
      expect(await previewText()).toContain("Spring news");
      await page.getByRole("button", { name: "Mobile" }).click();
      expect(await page.getByRole("button", { name: "Mobile" }).getAttribute("aria-pressed")).toBe("true");
      expect(await page.locator(".html-preview--mobile iframe").getAttribute("sandbox")).toBe("");
      await page.getByRole("tab", { name: "Plain text" }).click();
      await expect.poll(() => page.getByTestId("preview-text").textContent()).toContain("Spring news");
      await page.getByRole("tab", { name: "HTML" }).click();

      // "Preview as" a real subscriber, found by searching.
      expect(
        (await api("POST", "/subscribers", { email: "ada@example.com", name: "Ada Lovelace" })).status,
      ).toBe(201);
      await page.getByLabel("Preview as a subscriber").fill("ada");
      await page
        .getByRole("list", { name: "Matching subscribers" })
        .getByRole("button", { name: /ada@example\.com/ })
        .click();
      await page.getByTestId("preview-as").getByText("ada@example.com").waitFor();
      await expect
        .poll(() => page.getByTestId("preview-subject").textContent())
        .toBe("News for Ada Lovelace");
      await page.getByRole("button", { name: "Use sample data" }).click();
      await expect
        .poll(() => page.getByTestId("preview-subject").textContent())
        .not.toBe("News for Ada Lovelace");
    });

    it("updates the preview as the HTML changes, and saves that as version 2", async () => {
      const page = dash.page;
      await replaceEditorText("HTML", FIXED_HTML.replace("Spring news", "Summer news"));
      await expect.poll(() => previewText()).toContain("Summer news");
      await page.getByRole("button", { name: "Save template" }).click();
      await page.getByRole("status").getByText("Saved as version 2.").waitFor();
      await expect.poll(() => tableRows("Versions").count()).toBe(2);
    });

    it("diffs version 1 and 2, then restores version 1 as version 3", async () => {
      const page = dash.page;
      const compare = page.getByTestId("version-diff");
      expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe("1");
      expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe("2");
      const diff = page.getByRole("table", { name: "HTML changes from version 1 to version 2" });
      await diff.waitFor();
      const removed = diff.locator("tr.version-diff__removed");
      const added = diff.locator("tr.version-diff__added");
      expect(await removed.count()).toBe(1);
      expect(await removed.textContent()).toContain("removed");
      expect(await removed.textContent()).toContain("Spring news");
      expect(await added.textContent()).toContain("added");
      expect(await added.textContent()).toContain("Summer news");
      expect(await compare.getByText("Generated from the HTML in both versions.").count()).toBe(1);

      await page.getByRole("button", { name: "Restore this version (version 1)" }).click();
      const dialog = page.getByRole("dialog", { name: "Restore version 1?" });
      await dialog.getByRole("button", { name: "Restore version" }).click();
      await page.getByRole("status").getByText("Restored as version 3.").waitFor();
      await expect.poll(() => tableRows("Versions").count()).toBe(3);
      await expect.poll(() => editorText("HTML")).toContain("Spring news");
      await expect.poll(() => previewText()).toContain("Spring news");
    });

    it("sends a test that arrives in the dev mailbox", async () => {
      const page = dash.page;
      await page.getByRole("button", { name: "Send a test" }).click();
      const dialog = page.getByRole("dialog", { name: "Send a test" });
      expect(await dialog.getByLabel("Addresses").inputValue()).toBe(owner.email);
      await dialog.getByLabel("Addresses").fill("tester@example.com, second@example.com");
      await dialog.getByRole("button", { name: "Send test" }).click();
      const results = dialog.getByRole("table", { name: "Test results" });
      await results.waitFor();
      for (const email of ["tester@example.com", "second@example.com"]) {
        expect(await results.getByRole("row").filter({ hasText: email }).textContent()).toContain("Accepted");
      }
      await dialog.getByRole("button", { name: "Close" }).click();

      const mail = await waitForMail("tester@example.com");
      expect(mail.subject).toContain("News for");
    });

    it("asks before deleting, and shows the server's refusal while a campaign uses the template", async () => {
      const page = dash.page;
      const templateId = new URL(page.url()).pathname.split("/").pop();
      const campaign = await api("POST", "/campaigns", {
        name: "Spring launch",
        templateId,
        fromName: SENDER.name,
        fromEmail: SENDER.email,
      });
      expect(campaign.status).toBe(201);
      await page.getByRole("button", { name: "Delete template" }).click();
      const dialog = page.getByRole("dialog", { name: "Delete this template?" });
      await dialog.getByRole("button", { name: "Delete template" }).click();
      await dialog
        .getByRole("alert")
        .getByText("used by campaigns that are not finished: Spring launch")
        .waitFor();
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await heading(TEMPLATE);
    });

    it("lists the template with its kind and version, found by name and filtered by kind", async () => {
      const page = dash.page;
      await open("Templates");
      const template = row("Templates", TEMPLATE);
      await template.waitFor();
      expect(await template.textContent()).toContain("campaign");
      expect(await template.getByRole("cell").nth(3).textContent()).toBe("3");
      const filters = page.getByRole("form", { name: "Template filters" });
      await filters.getByLabel("Search").fill("autumn");
      await filters.getByRole("button", { name: "Search" }).click();
      await expect.poll(() => tableRows("Templates").count()).toBe(0);
      await filters.getByLabel("Search").fill("spring");
      await filters.getByRole("button", { name: "Search" }).click();
      await template.waitFor();
      await filters.getByLabel("Kind").selectOption("transactional");
      await expect.poll(() => tableRows("Templates").count()).toBe(0);
      await filters.getByLabel("Kind").selectOption("campaign");
      await template.waitFor();
      expect(new URL(page.url()).searchParams.get("kind")).toBe("campaign");
    });

    it("adds a relay, tests it, and shows the connect step failing for a closed port", async () => {
      const page = dash.page;
      const port = smtp?.port ?? 0;
      await open("Relays");
      await addRelay("Local relay", port, { username: "app", password: "s3cret p@ss" });
      const relay = row("Relays", "Local relay");
      expect(await relay.textContent()).toContain(`127.0.0.1:${port}`);
      expect(await relay.textContent()).toContain("password stored");

      await relay.getByRole("button", { name: "Test connection of Local relay" }).click();
      const test = page.getByRole("dialog", { name: "Connection test: Local relay" });
      const result = test.getByTestId("relay-test-result");
      await result.waitFor();
      expect(await result.textContent()).toContain("Connection OK.");
      expect(await result.textContent()).toMatch(/Authenticated\s*Yes/);
      expect(await result.textContent()).toMatch(/\d+ ms/);
      await test.getByRole("button", { name: "Close" }).click();

      await relay.getByRole("button", { name: "Edit Local relay" }).click();
      const edit = page.getByRole("form", { name: "Edit Local relay" });
      await edit.getByText("leave empty to keep the stored password").waitFor();
      await edit.getByRole("checkbox", { name: "Remove stored password" }).waitFor();
      // A new endpoint without a new password clears the stored one: the form says so first.
      await edit.getByLabel("Port").fill(String(port + 1));
      await edit.getByText("the stored password will be removed").waitFor();
      await edit.getByRole("button", { name: "Cancel" }).click();

      await addRelay("Closed port", await freePort());
      await row("Relays", "Closed port")
        .getByRole("button", { name: "Test connection of Closed port" })
        .click();
      const failed = page.getByRole("dialog", { name: "Connection test: Closed port" });
      await failed.getByTestId("relay-test-step").waitFor();
      expect(await failed.getByTestId("relay-test-step").textContent()).toBe("connect");
      await failed.getByRole("button", { name: "Close" }).click();
    });

    it("adds a sending domain, copies its DKIM record and verifies it against DNS", async () => {
      const page = dash.page;
      await open("Sending domains");
      await page.getByRole("button", { name: "Add domain" }).click();
      const form = page.getByRole("form", { name: "Add domain" });
      await form.getByLabel("Domain", { exact: true }).fill(DOMAIN);
      await form.getByRole("button", { name: "Add domain" }).click();
      const card = page.getByRole("region", { name: DOMAIN });
      await card.waitFor();
      expect(await card.getByTestId("domain-state").textContent()).toBe("Not verified");

      const records = card.getByRole("table", { name: `DNS records for ${DOMAIN}` });
      const dkim = records.locator('tr[data-purpose="dkim"]');
      const name = (await dkim.locator(".dns-records__value").nth(0).textContent()) ?? "";
      const value = (await dkim.locator(".dns-records__value").nth(1).textContent()) ?? "";
      expect(name).toMatch(new RegExp(`\\._domainkey\\.${DOMAIN.replace(/\./g, "\\.")}$`));
      expect(value).toMatch(/^v=DKIM1; k=rsa; p=/);
      await dkim.getByRole("button", { name: "Copy value of the dkim record" }).click();
      await dkim.getByRole("button", { name: "Copy value of the dkim record" }).getByText("Copied").waitFor();
      // A string, not a function: this file is type-checked without the DOM library.
      expect(await page.evaluate("navigator.clipboard.readText()")).toBe(value);

      await card.getByRole("button", { name: `Check DNS for ${DOMAIN}` }).click();
      await expect.poll(() => dkim.getByTestId("dns-status").textContent()).toContain("Not found");
      expect(await card.getByTestId("domain-state").textContent()).toBe("Not verified");

      const published = await fetch(`${dns?.url}/records`, {
        method: "POST",
        body: JSON.stringify({ name, type: "TXT", data: value }),
      });
      expect(published.status).toBe(204);
      await card.getByRole("button", { name: `Check DNS for ${DOMAIN}` }).click();
      await expect.poll(() => card.getByTestId("domain-state").textContent()).toBe("Verified");
      expect(await dkim.getByTestId("dns-status").textContent()).toContain("Published");
    });

    it("shows templates read-only and no relay or domain buttons to an analyst", async () => {
      const page = dash.page;
      const created = await api("POST", "/users", { ...analyst, role: "analyst" });
      expect(created.status).toBe(201);
      await dash.signOut();
      await dash.signIn(analyst);

      await open("Templates");
      expect(await page.getByRole("link", { name: "New template" }).count()).toBe(0);
      await row("Templates", TEMPLATE).getByRole("link", { name: TEMPLATE }).click();
      await heading(TEMPLATE);
      await settled();
      expect(await page.getByLabel("Name", { exact: true }).isDisabled()).toBe(true);
      expect(await page.getByRole("textbox", { name: "HTML" }).getAttribute("contenteditable")).toBe("false");
      await expect.poll(() => previewText()).toContain("Spring news");
      for (const name of [/^Save template/, /^Send a test/, /^Delete/, /^Restore/]) {
        expect(await page.getByRole("button", { name }).count(), String(name)).toBe(0);
      }

      await open("Relays");
      await row("Relays", "Local relay").waitFor();
      expect(
        await page.getByRole("button", { name: /^(Add relay|Test connection|Edit|Delete)/ }).count(),
      ).toBe(0);
      await open("Sending domains");
      await page.getByRole("region", { name: DOMAIN }).waitFor();
      expect(await page.getByRole("button", { name: /^(Add domain|Check DNS|Delete)/ }).count()).toBe(0);
      expect(await page.getByRole("button", { name: /^Copy value/ }).count()).toBeGreaterThan(0);
    });

    it("raised no uncaught errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });

    /** The field (of a form) whose label is `label`, when it shows the server's message. */
    function invalid(form: Locator, label: string): Locator {
      return form.locator(".field--invalid").filter({ has: dash.page.getByLabel(label, { exact: true }) });
    }

    /** Selects everything in a CodeMirror editor and types `text` over it, as a paste would. */
    async function replaceEditorText(label: string, text: string): Promise<void> {
      await dash.page.getByRole("textbox", { name: label, exact: true }).click();
      await dash.page.keyboard.press("ControlOrMeta+a");
      await dash.page.keyboard.insertText(text);
      await expect.poll(() => editorText(label)).toBe(text);
    }

    /** The text of the document shown in the sandboxed preview frame. */
    async function previewText(): Promise<string> {
      const frame = dash.page.frameLocator('iframe[title="Preview of the HTML"]');
      return (
        (await frame
          .locator("body")
          .textContent({ timeout: 2000 })
          .catch(() => "")) ?? ""
      );
    }

    async function addRelay(
      name: string,
      port: number,
      auth: { username: string; password: string } | null = null,
    ): Promise<void> {
      await dash.page.getByRole("button", { name: "Add relay" }).click();
      const form = dash.page.getByRole("form", { name: "Add relay" });
      await form.getByLabel("Name", { exact: true }).fill(name);
      await form.getByLabel("Host").fill("127.0.0.1");
      await form.getByLabel("Port").fill(String(port));
      await form.getByLabel("Security").selectOption("none");
      if (auth) {
        await form.getByLabel("Username").fill(auth.username);
        await form.getByLabel("Password", { exact: true }).fill(auth.password);
      }
      await form.getByRole("button", { name: "Add relay" }).click();
      await row("Relays", name).waitFor();
    }

    async function waitForMail(email: string): Promise<MailSummary> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const found = (await dash.mailTo(email))[0];
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no message to ${email} after 20 s`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  },
);

import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The template editor and the campaign builder used the way people do, in a real browser: keys
 * 5 ms apart in every code editor (this froze the tab), drafts that outlive a reload until they
 * are saved, a save clicked twice, and names pasted at the length limit. The steps share one page
 * and run in order.
 */

const owner = { name: "Olive Owner", email: "olive@example.com", password: "correct horse battery staple" };
const KEY_DELAY_MS = 5;

/**
 * Typed into the empty HTML editor. CodeMirror closes the `<a>` itself when its `>` is typed
 * (tags auto-close; `{{` gets its `}}`, typed over); `<br>` is void and gets no closing tag.
 */
const HTML_TYPED = `<h1>Hello {{ subscriber.name | default: "there" }}`;
const HTML_TYPED_REST = `
Spring is here (at last), and we wrote this quickly, as people do: every key counts.<br>
Your plan: {{ subscriber.fields.plan }}; [details] below, {{ "now" | date: "%Y" }}.<br>
{{ postal_address }} <a href="{{ unsubscribe_url }}">Unsubscribe`;
/** What the HTML editor holds after both: `</h1>` skipped with End, `</a>` left after the cursor. */
const HTML_RESULT = `${HTML_TYPED}</h1>${HTML_TYPED_REST}</a>`;
const TEXT_TYPED = `Hello {{ subscriber.name | default: "there" }},
spring is here (at last), and we wrote this quickly, as people do: every key counts.
Your plan: {{ subscriber.fields.plan }}; [details] below.

Unsubscribe: {{ unsubscribe_url }}
{{ postal_address }}`;
const SUBJECT_TYPED = "Spring {{ subscriber.name | default: 'friend' }}: news (and more) [2]";

interface TemplateBody {
  id: string;
  name: string;
  subject: string;
  html: string;
  text: string | null;
  currentVersion: number;
}

describe.skipIf(!hasChromium)(
  "template editor and campaign builder under fast typing, reloads and double clicks",
  { timeout: 90_000, sequential: true },
  () => {
    const dash = useDashboard();
    const { heading, settled, open, codeEditor: editor, codeEditorText: editorText } = dash;
    let templateId = "";

    it("sets up the owner, a list and the sender defaults", async () => {
      await dash.setUpOwner(owner);
      expect((await dash.api("POST", "/lists", { name: "Launch", optIn: "single" })).status).toBe(201);
      const settings = await dash.api("PATCH", "/settings", {
        defaultFromName: "Edgepost News",
        defaultFromEmail: "news@example.com",
      });
      expect(settings.status).toBe(200);
    });

    it("types a paragraph at 5 ms a key into every code editor and saves exactly what they show", async () => {
      const page = dash.page;
      await open("Templates");
      await page.getByRole("link", { name: "New template" }).click();
      await heading("New template");
      // Every CodeMirror editor on the page is one of the two typed into below.
      await editor("Plain text").waitFor();
      expect(await page.locator(".cm-editor").count()).toBe(2);

      await page.getByLabel("Name", { exact: true }).fill("Typed fast");
      await page.getByLabel("Subject", { exact: true }).click();
      await page.keyboard.type(SUBJECT_TYPED, { delay: KEY_DELAY_MS });

      await emptyEditor("HTML");
      await typeFast(HTML_TYPED);
      await page.keyboard.press("End");
      await typeFast(HTML_TYPED_REST);
      await emptyEditor("Plain text");
      await typeFast(TEXT_TYPED);

      // The tab still answers, and no key was lost or doubled.
      expect(await editorText("HTML")).toBe(HTML_RESULT);
      expect(await editorText("Plain text")).toBe(TEXT_TYPED);
      expect(await page.getByLabel("Subject", { exact: true }).inputValue()).toBe(SUBJECT_TYPED);

      await page.getByRole("button", { name: "Create template" }).click();
      await page.waitForURL(/\/templates\/[0-9a-f-]{36}$/);
      await heading("Typed fast");
      templateId = new URL(page.url()).pathname.split("/").pop() ?? "";
      const saved = await template(templateId);
      expect(saved.html).toBe(HTML_RESULT);
      expect(saved.text).toBe(TEXT_TYPED);
      expect(saved.subject).toBe(SUBJECT_TYPED);
      expect(await editorText("HTML")).toBe(HTML_RESULT);
    });

    it("types into a saved template's editors at 5 ms a key and saves that as version 2", async () => {
      const page = dash.page;
      await settled();
      await editor("HTML").click();
      await page.keyboard.press("ControlOrMeta+End");
      await typeFast("\n<p>A second paragraph for {{ subscriber.email }}, typed in one go.");
      await editor("Plain text").click();
      await page.keyboard.press("ControlOrMeta+End");
      await typeFast("\nA second paragraph for {{ subscriber.email }}, typed in one go.");
      const html = `${HTML_RESULT}\n<p>A second paragraph for {{ subscriber.email }}, typed in one go.</p>`;
      const text = `${TEXT_TYPED}\nA second paragraph for {{ subscriber.email }}, typed in one go.`;
      expect(await editorText("HTML")).toBe(html);
      expect(await editorText("Plain text")).toBe(text);

      await page.getByRole("button", { name: "Save template" }).click();
      await page.getByRole("status").getByText("Saved as version 2.").waitFor();
      const saved = await template(templateId);
      expect(saved.currentVersion).toBe(2);
      expect(saved.html).toBe(html);
      expect(saved.text).toBe(text);
    });

    it("keeps unsaved template edits through a reload, and forgets them once saved", async () => {
      const page = dash.page;
      const before = await template(templateId);
      await editor("HTML").click();
      await page.keyboard.press("ControlOrMeta+End");
      await typeFast("\n<p>Kept through a reload, {{ subscriber.name }}.");
      await page.getByLabel("Subject", { exact: true }).fill("Subject kept through a reload");
      const html = `${before.html}\n<p>Kept through a reload, {{ subscriber.name }}.</p>`;
      expect(await editorText("HTML")).toBe(html);

      await page.reload();
      await heading("Typed fast");
      await settled();
      const notice = page.getByTestId("draft-notice");
      await notice.getByText("Unsaved changes restored").waitFor();
      expect(await notice.getByTestId("draft-stale").count()).toBe(0);
      expect(await editorText("HTML")).toBe(html);
      expect(await page.getByLabel("Subject", { exact: true }).inputValue()).toBe(
        "Subject kept through a reload",
      );
      await page.getByText("Unsaved changes", { exact: true }).waitFor();

      await page.getByRole("button", { name: "Save template" }).click();
      await page.getByRole("status").getByText("Saved as version 3.").waitFor();
      expect(await notice.count()).toBe(0);
      expect((await template(templateId)).html).toBe(html);
      expect(await storedDrafts()).toEqual([]);
      await page.reload();
      await heading("Typed fast");
      await settled();
      expect(await editorText("HTML")).toBe(html);
      expect(await page.getByTestId("draft-notice").count()).toBe(0);
    });

    it("says so when the template was saved elsewhere after the draft, and discards it on request", async () => {
      const page = dash.page;
      const before = await template(templateId);
      await editor("Plain text").click();
      await page.keyboard.press("ControlOrMeta+End");
      await typeFast("\nA line only this tab has.");
      expect(await storedDrafts()).toHaveLength(1);
      const elsewhere = await dash.api("PATCH", `/templates/${templateId}`, {
        subject: "Changed in another tab",
      });
      expect(elsewhere.status).toBe(200);

      await page.reload();
      await heading("Typed fast");
      await settled();
      const notice = page.getByTestId("draft-notice");
      await notice.getByText("Unsaved changes restored").waitFor();
      expect(await notice.getByTestId("draft-stale").textContent()).toContain("saved again");
      expect(await editorText("Plain text")).toBe(`${before.text}\nA line only this tab has.`);

      await notice.getByRole("button", { name: "Discard changes" }).click();
      const dialog = page.getByRole("dialog", { name: "Discard the restored changes?" });
      await dialog.getByRole("button", { name: "Discard changes" }).click();
      await expect.poll(() => notice.count()).toBe(0);
      expect(await editorText("Plain text")).toBe(before.text);
      expect(await page.getByLabel("Subject", { exact: true }).inputValue()).toBe("Changed in another tab");
      expect(await storedDrafts()).toEqual([]);
    });

    it("keeps a new template's draft through a reload until it is created", async () => {
      const page = dash.page;
      await page.goto("/templates/new");
      await heading("New template");
      await page.getByLabel("Name", { exact: true }).fill("Half written");
      await page.getByLabel("Subject", { exact: true }).fill("Half a subject");
      await editor("HTML").click();
      await page.keyboard.press("ControlOrMeta+Home");
      await typeFast("<!-- started before a reload -->\n");
      const html = await editorText("HTML");

      await page.reload();
      await heading("New template");
      await page.getByTestId("draft-notice").getByText("Unsaved changes restored").waitFor();
      expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Half written");
      expect(await editorText("HTML")).toBe(html);

      await page.getByRole("button", { name: "Create template" }).click();
      await heading("Half written");
      expect(await storedDrafts()).toEqual([]);
      await page.goto("/templates/new");
      await heading("New template");
      expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("");
      expect(await page.getByTestId("draft-notice").count()).toBe(0);
    });

    it("keeps a campaign's unsaved form through a reload, new and saved, until it is saved", async () => {
      const page = dash.page;
      await page.goto("/campaigns/new");
      await heading("New campaign");
      const form = page.getByRole("form", { name: "Campaign" });
      await expect.poll(() => form.getByLabel("From name").inputValue()).toBe("Edgepost News");
      await form.getByLabel("Name", { exact: true }).fill("Survives a reload");
      await form.getByLabel("Template", { exact: true }).selectOption({ label: "Typed fast" });
      await form.getByRole("checkbox", { name: "Launch" }).check();

      await page.reload();
      await heading("New campaign");
      await page.getByTestId("draft-notice").getByText("Unsaved changes restored").waitFor();
      expect(await form.getByLabel("Name", { exact: true }).inputValue()).toBe("Survives a reload");
      expect(await form.getByRole("checkbox", { name: "Launch" }).isChecked()).toBe(true);
      await form.getByRole("button", { name: "Create draft" }).click();
      await heading("Survives a reload");
      await settled();
      expect(await storedDrafts()).toEqual([]);

      await form.getByLabel("Reply-to").fill("replies@example.com");
      await page.reload();
      await heading("Survives a reload");
      await page.getByTestId("draft-notice").getByText("Unsaved changes restored").waitFor();
      expect(await form.getByLabel("Reply-to").inputValue()).toBe("replies@example.com");
      await form.getByRole("button", { name: "Save draft" }).click();
      await page.getByRole("status").getByText("Draft saved.").waitFor();
      expect(await storedDrafts()).toEqual([]);
      await page.reload();
      await heading("Survives a reload");
      await settled();
      expect(await form.getByLabel("Reply-to").inputValue()).toBe("replies@example.com");
      expect(await page.getByTestId("draft-notice").count()).toBe(0);
    });

    it("creates one template, one version and one campaign when Save is clicked again at once", async () => {
      const page = dash.page;
      await page.goto("/templates/new");
      await heading("New template");
      await page.getByLabel("Name", { exact: true }).fill("Clicked twice");
      await page.getByLabel("Subject", { exact: true }).fill("Twice");
      await clickAgainWhenEnabled("Create template");
      await heading("Clicked twice");
      await settled();
      const found = await dash.api<{ data: TemplateBody[] }>("GET", "/templates?q=Clicked%20twice");
      expect(found.body.data.map((row) => row.name)).toEqual(["Clicked twice"]);

      await page.getByLabel("Subject", { exact: true }).fill("Twice, changed");
      await clickAgainWhenEnabled("Save template");
      await page.getByRole("status").getByText("Saved as version 2.").waitFor();
      await settled();
      const id = found.body.data[0]?.id ?? "";
      expect((await template(id)).currentVersion).toBe(2);

      await page.goto("/campaigns/new");
      await heading("New campaign");
      const form = page.getByRole("form", { name: "Campaign" });
      await expect.poll(() => form.getByLabel("From name").inputValue()).toBe("Edgepost News");
      await form.getByLabel("Name", { exact: true }).fill("Sent off twice");
      await form.getByLabel("Template", { exact: true }).selectOption({ label: "Clicked twice" });
      await clickAgainWhenEnabled("Create draft");
      await heading("Sent off twice");
      await settled();
      const campaigns = await dash.api<{ data: { name: string }[] }>("GET", "/campaigns?limit=100");
      expect(campaigns.body.data.filter((row) => row.name === "Sent off twice")).toHaveLength(1);
    });

    it("keeps what is typed while a save is on its way, as unsaved changes", async () => {
      const page = dash.page;
      await page.goto(`/templates/${templateId}`);
      await heading("Typed fast");
      await settled();
      const before = await template(templateId);
      let release: () => void = () => undefined;
      const answered = new Promise<void>((resolve) => {
        release = resolve;
      });
      const path = `**/api/v1/templates/${templateId}`;
      await page.route(path, async (route) => {
        if (route.request().method() === "PATCH") await answered;
        await route.continue();
      });
      await page.getByLabel("Subject", { exact: true }).fill("Saved while typing");
      await page.getByRole("button", { name: "Save template" }).click();
      await page.getByRole("button", { name: "Saving…" }).waitFor();
      await editor("HTML").click();
      await page.keyboard.press("ControlOrMeta+End");
      await typeFast("\n<p>Typed while saving.");
      release();
      await page
        .getByRole("status")
        .getByText(`Saved as version ${before.currentVersion + 1}.`)
        .waitFor();
      await page.unroute(path);

      const html = `${before.html}\n<p>Typed while saving.</p>`;
      expect(await editorText("HTML")).toBe(html);
      expect((await template(templateId)).html).toBe(before.html);
      await page.getByText("Unsaved changes", { exact: true }).waitFor();
      expect(await storedDrafts()).toHaveLength(1);
      await page.getByRole("button", { name: "Save template" }).click();
      await page
        .getByRole("status")
        .getByText(`Saved as version ${before.currentVersion + 2}.`)
        .waitFor();
      expect((await template(templateId)).html).toBe(html);
      expect(await storedDrafts()).toEqual([]);
    });

    it("saves 200-character names pasted into the name fields, and places the server's refusal of 201", async () => {
      const page = dash.page;
      const long = "Spring-newsletter-for-the-whole-family-".repeat(6).slice(0, 200);
      const name = page.getByLabel("Name", { exact: true });
      await paste(name, `${long}!`);
      await page.getByRole("button", { name: "Save template" }).click();
      await page.locator(".field--invalid").filter({ has: name }).getByText("200 characters").waitFor();
      await paste(name, long);
      await page.getByRole("button", { name: "Save template" }).click();
      await page.getByRole("status").getByText("Changes saved.").waitFor();
      await heading(long);
      expect((await template(templateId)).name).toBe(long);
      expect(await sidewaysScroll()).toBe(0);
      await open("Templates");
      expect(await sidewaysScroll()).toBe(0);

      await page.goto("/campaigns/new");
      await heading("New campaign");
      const form = page.getByRole("form", { name: "Campaign" });
      await expect.poll(() => form.getByLabel("From name").inputValue()).toBe("Edgepost News");
      await paste(form.getByLabel("Name", { exact: true }), long);
      await form.getByLabel("Template", { exact: true }).selectOption({ label: long });
      await form.getByRole("button", { name: "Create draft" }).click();
      await heading(long);
      await settled();
      expect(await sidewaysScroll()).toBe(0);
      await open("Campaigns");
      expect(await sidewaysScroll()).toBe(0);
    });

    it("raised no uncaught errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });

    async function emptyEditor(label: string): Promise<void> {
      await editor(label).click();
      await dash.page.keyboard.press("ControlOrMeta+a");
      await dash.page.keyboard.press("Delete");
    }

    /** Types at 5 ms a key; a frozen tab makes this time out rather than return. */
    async function typeFast(text: string): Promise<void> {
      await dash.page.keyboard.type(text, { delay: KEY_DELAY_MS });
    }

    /** Replaces a field's text the way a paste does. */
    async function paste(field: Locator, text: string): Promise<void> {
      await field.click();
      await dash.page.keyboard.press("ControlOrMeta+a");
      await dash.page.keyboard.insertText(text);
    }

    /** How far the page scrolls sideways (0 when it fits the window). */
    async function sidewaysScroll(): Promise<number> {
      return dash.page.evaluate<number>(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      );
    }

    /** The keys of the drafts kept in the browser. */
    async function storedDrafts(): Promise<string[]> {
      // A string, not a function: this file is type-checked without the DOM library.
      return dash.page.evaluate<string[]>(
        "Object.keys(localStorage).filter((key) => key.startsWith('edgepost.draft.'))",
      );
    }

    /**
     * Clicks the submit button `name`, then clicks it again the moment it is enabled again: a
     * double click on a fast server, made exact (the second click lands right after the answer).
     */
    async function clickAgainWhenEnabled(name: string): Promise<void> {
      await dash.page.evaluate(`(() => {
        const button = [...document.querySelectorAll("button[type=submit]")]
          .find((candidate) => candidate.textContent.trim() === ${JSON.stringify(name)});
        if (!button) throw new Error("no button " + ${JSON.stringify(name)});
        const again = new MutationObserver(() => {
          if (button.disabled || !button.isConnected) return;
          again.disconnect();
          button.click();
        });
        again.observe(button, { attributes: true, attributeFilter: ["disabled"] });
        setTimeout(() => again.disconnect(), 10000);
        button.click();
      })()`);
    }

    async function template(id: string): Promise<TemplateBody> {
      const found = await dash.api<TemplateBody>("GET", `/templates/${id}`);
      expect(found.status).toBe(200);
      return found.body;
    }
  },
);

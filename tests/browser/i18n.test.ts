import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { flatten, loadCatalogue } from "../../scripts/i18n-check";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The dashboard in Japanese and German, page by page (issue #15). A user picks the language in
 * the top bar; it is saved on them and survives a reload. On every route of the app, with real
 * data behind the detail pages, the page shows no raw catalogue key, no English where the
 * language has its own words, and no button or tab whose label overflows it. The signed-out
 * pages follow the browser's language. One stack, the steps in order.
 */

const owner = { name: "Olive Owner", email: "olive@example.com", password: "correct horse battery staple" };
const HTML = `<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`;
/** A 1×1 PNG for the image library. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** Pages whose main action opens a form or dialog that is checked too. */
const WITH_FORM = ["/relays", "/domains", "/settings/users", "/settings/api-keys"];

type Catalogue = Map<string, string>;

/** A language's catalogue (`dashboard/src/i18n/locales/<lang>.json`), flattened. */
function catalogue(lang: string): Catalogue {
  return flatten(loadCatalogue(lang));
}

const english = catalogue("en");
/** Every key as code names it: plural forms by their base (`x_one`, `x_other` → `x`) too. */
const KEYS = [
  ...new Set([...english.keys()].flatMap((key) => [key, key.replace(/_(zero|one|two|few|many|other)$/, "")])),
];
const AREAS = [...new Set([...english.keys()].map((key) => key.split(".")[0] ?? ""))];

/**
 * English messages that `lang` words differently, as they read on screen: shown in `lang`, they are
 * leftovers. Messages with placeholders or tags never show whole, so they are left out.
 */
function leftovers(lang: string): string[] {
  const target = catalogue(lang);
  const byText = new Map<string, string[]>();
  for (const [key, text] of english) {
    if (/\{\{|<\d>/.test(text) || !/[a-z]{2}/i.test(text)) continue;
    byText.set(text, [...(byText.get(text) ?? []), key]);
  }
  const targetTexts = new Set(target.values());
  return [...byText]
    .filter(([text, keys]) => !targetTexts.has(text) && keys.every((key) => target.has(key)))
    .map(([text]) => text);
}

interface Findings {
  keys: string[];
  english: string[];
  overflow: string[];
}

/**
 * What the page shows now: visible text nodes and read attributes holding a raw key (a known key,
 * or a whole text of the `area.key` form), English leftovers, and buttons, button links and tabs
 * whose label is wider than they are.
 */
function inspect(page: Page, english: string[]): Promise<Findings> {
  const args = JSON.stringify({ keys: KEYS, areas: AREAS, english });
  return page.evaluate<Findings>(`(${INSPECT})(${args})`);
}

/** The page side of `inspect`, as source: the test project has no DOM types. */
const INSPECT = `({ keys, areas, english }) => {
  const known = new Set(keys);
  const areaSet = new Set(areas);
  const leftover = new Set(english);
  const pattern = /\\b[a-z][a-zA-Z0-9]*(?:\\.[a-zA-Z0-9_]+)+\\b/g;
  const whole = /^[a-z][a-zA-Z0-9]*(?:\\.[a-zA-Z0-9_]+)+$/;
  const found = { keys: [], english: [], overflow: [] };
  const isKey = (text) =>
    (text.match(pattern) ?? []).some((token) => known.has(token)) ||
    (whole.test(text) && areaSet.has(text.split(".")[0]));
  const shown = (el) =>
    !!el && !el.closest("code, pre, script, style, noscript, template") && el.checkVisibility();
  const consider = (text, el, where) => {
    const clean = text.replace(/\\s+/g, " ").trim();
    if (!clean) return;
    if (isKey(clean)) found.keys.push(where + ": " + clean);
    if (leftover.has(clean)) found.english.push(where + ": " + clean);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode())
    if (shown(node.parentElement)) consider(node.textContent ?? "", node.parentElement, node.parentElement.tagName);
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title], img[alt]")) {
    if (!shown(el)) continue;
    for (const name of ["placeholder", "aria-label", "title", "alt"]) {
      const value = el.getAttribute(name);
      if (value) consider(value, el, el.tagName + "[" + name + "]");
    }
  }
  for (const el of document.querySelectorAll("button, a.button, [role=tab]")) {
    if (!el.checkVisibility() || el.offsetWidth === 0) continue;
    const box = el.getBoundingClientRect();
    let clipped = el.scrollWidth > el.clientWidth + 1;
    // Every visible piece of the label ends inside the control (a label cut by overflow: hidden too).
    const texts = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node && !clipped; node = texts.nextNode()) {
      if (!node.textContent.trim() || node.parentElement.closest(".visually-hidden")) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects())
        if (rect.width > 0 && (rect.left < box.left - 1 || rect.right > box.right + 1)) clipped = true;
    }
    if (clipped)
      found.overflow.push(
        el.tagName.toLowerCase() + ' "' + el.textContent.trim() + '" (' + el.scrollWidth + " > " + el.clientWidth + ")",
      );
  }
  return found;
}`;

describe.skipIf(!hasChromium)(
  "the dashboard in Japanese and German",
  { timeout: 90_000, sequential: true },
  () => {
    const dash = useDashboard({
      page: { locale: "en-US", timezoneId: "UTC", viewport: { width: 1280, height: 900 } },
    });
    const { call } = dash;
    const routes: string[] = [];

    /** Opens `path` afresh (a reload, so the saved language is what shows) and waits for it to settle. */
    const visit = async (page: Page, path: string, lang: string) => {
      await page.goto(path);
      await expect.poll(() => page.evaluate<string>("document.documentElement.lang")).toBe(lang);
      await page.locator("h1").first().waitFor();
      await settle(page);
    };

    /**
     * Goes to `path` inside the app, as its links do (no reload: much faster than `visit`), and
     * waits for the new page's heading: the old one is marked first.
     */
    const navigate = async (page: Page, path: string) => {
      await page.evaluate(`document.querySelectorAll("h1").forEach((h) => { h.dataset.left = "1"; })`);
      await page.evaluate(`history.pushState(null, "", ${JSON.stringify(path)});
        dispatchEvent(new PopStateEvent("popstate"));`);
      await expect
        .poll(() => page.evaluate<boolean>(`!!document.querySelector("h1:not([data-left])")`), {
          timeout: 15_000,
        })
        .toBe(true);
      await settle(page);
    };

    const settle = async (page: Page) => {
      await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 15_000 }).toBe(0);
    };

    /** Checks the page `path` now shows in `lang`: no raw key, no English leftover, no overflow. */
    const check = async (page: Page, path: string, lang: string, english: string[]) => {
      const found = await inspect(page, english);
      expect({ path, lang, ...found }).toEqual({ path, lang, keys: [], english: [], overflow: [] });
    };

    /** The signed-out pages, in a browser that prefers `tag`. */
    const signedOut = async (browser: Browser, tag: string, lang: string, paths: string[]) => {
      const context = await browser.newContext({ baseURL: dash.stack.baseUrl, locale: tag });
      const page = await context.newPage();
      try {
        for (const path of paths) {
          await visit(page, path, lang);
          await check(page, path, lang, leftovers(lang));
        }
      } finally {
        await context.close();
      }
    };

    /** Picks `lang` in the top bar, waits for it to be saved, then reloads: the choice holds. */
    const choose = async (lang: string, name: string) => {
      const page = dash.page;
      const saved = page.waitForResponse(
        (response) => response.request().method() === "PATCH" && /\/api\/v1\/users\//.test(response.url()),
      );
      await page.getByTestId("language-picker").selectOption(lang);
      expect((await saved).status()).toBe(200);
      await expect.poll(() => page.evaluate<string>("document.documentElement.lang")).toBe(lang);
      await page.reload();
      await expect.poll(() => page.evaluate<string>("document.documentElement.lang")).toBe(lang);
      expect(await page.getByTestId("language-picker").inputValue()).toBe(lang);
      // The users table names each user's language: the owner's is the one just chosen.
      await visit(page, "/settings/users", lang);
      await page.getByRole("table").getByRole("cell", { name, exact: true }).waitFor();
    };

    // The data's names start with "Zephyr": a name equal to a catalogue text would read as English.
    it("shows the setup page in the browser's language, then sets up the owner and real data", async () => {
      await signedOut(dash.browser, "ja-JP", "ja", ["/setup"]);
      await dash.setUpOwner(owner);

      const list = await call<{ id: string }>("POST", "/lists", { name: "Zephyr readers", optIn: "single" });
      await call("POST", "/fields", { key: "city", label: "City", type: "text" });
      const subscriber = await call<{ id: string }>("POST", "/subscribers", {
        email: "ann@example.com",
        name: "Ann Reader",
        listIds: [list.id],
      });
      const segment = await call<{ id: string }>("POST", "/segments", {
        name: "Zephyr all readers",
        rules: { list: list.id },
      });
      const template = await call<{ id: string }>("POST", "/templates", {
        name: "Zephyr welcome",
        subject: "Hello",
        html: HTML,
      });
      const campaign = (name: string) =>
        call<{ id: string }>("POST", "/campaigns", {
          name,
          templateId: template.id,
          listIds: [list.id],
          fromName: "Edgepost News",
          fromEmail: "news@example.com",
        });
      const draft = await campaign("Spring draft");
      const sent = await campaign("Winter news");
      await call("POST", `/campaigns/${sent.id}/send`, {});
      await call("POST", "/suppressions", { email: "gone@example.com", reason: "manual" });

      const token = await login();
      const imported = await upload(token, "/imports", "text/csv", "email,name\nbob@example.com,Bob\n");
      await upload(token, "/assets", "image/png", PNG);

      const workflow = await call<{ id: string }>("POST", "/workflows", {
        name: "Zephyr onboarding",
        trigger: { type: "event", name: "joined" },
        nodes: [
          { id: "wait", type: "wait", seconds: 3600 },
          { id: "done", type: "exit" },
        ],
        edges: [{ from: "wait", to: "done" }],
      });
      await call("POST", `/workflows/${workflow.id}/activate`, {});
      await call("POST", "/events", { email: "ann@example.com", name: "joined" });
      const instance = await poll(async () => {
        const page = await call<{ data: { id: string }[] }>("GET", `/workflows/${workflow.id}/instances`);
        return page.data[0]?.id;
      });
      await poll(async () => {
        const done = await call<{ status: string }>("GET", `/campaigns/${sent.id}`);
        return done.status === "sent" ? done.status : undefined;
      });
      await poll(async () => {
        const done = await call<{ status: string }>("GET", `/imports/${imported}`);
        return done.status === "done" ? done.status : undefined;
      });
      // Made after the send, so the campaign went through the stack's own SMTP server.
      await call("POST", "/relays", {
        name: "Zephyr relay",
        host: "127.0.0.1",
        port: 2525,
        security: "none",
      });
      await call("POST", "/domains", { domain: "news.example.com" });
      await call("POST", "/api-keys", { name: "Zephyr website", role: "editor" });

      routes.push(
        "/",
        "/subscribers",
        `/subscribers/${subscriber.id}`,
        "/lists",
        `/lists/${list.id}/signup`,
        "/segments",
        `/segments/${segment.id}`,
        "/imports",
        `/imports/${imported}`,
        "/fields",
        "/suppressions",
        "/templates",
        `/templates/${template.id}`,
        "/images",
        "/campaigns",
        `/campaigns/${draft.id}`,
        "/campaigns/new",
        `/campaigns/${sent.id}`,
        "/workflows",
        `/workflows/${workflow.id}`,
        `/workflows/${workflow.id}/instances`,
        `/workflows/${workflow.id}/instances/${instance}`,
        "/automations",
        "/analytics",
        `/analytics/campaigns/${sent.id}`,
        "/relays",
        "/domains",
        "/settings/general",
        "/settings/users",
        "/settings/api-keys",
        "/settings/audit-log",
        "/settings/webhooks",
        "/no-such-page",
      );

      async function login(): Promise<string> {
        const response = await fetch(`${dash.stack.baseUrl}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: owner.email, password: owner.password }),
        });
        return ((await response.json()) as { accessToken: string }).accessToken;
      }
    });

    for (const [lang, name] of [
      ["ja", "日本語"],
      ["de", "Deutsch"],
    ] as const) {
      it(`switches to ${name}, keeps it across a reload, and shows every page in it`, async () => {
        await choose(lang, name);
        const english = leftovers(lang);
        for (const path of routes) {
          await navigate(dash.page, path);
          await check(dash.page, path, lang, english);
          // The dialogs and forms of the settings pages, opened from the page's main action.
          if (WITH_FORM.includes(path)) {
            await dash.page.locator(".page__actions .button--primary").first().click();
            await dash.page.locator("dialog[open], .form-card").first().waitFor();
            await check(dash.page, `${path} (form)`, lang, english);
          }
        }
        await signedOut(dash.browser, lang === "ja" ? "ja-JP" : "de-DE", lang, [
          "/login",
          "/forgot-password",
          "/set-password",
          "/no-such-page",
        ]);
      });
    }

    it("raised no errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });

    /** Uploads a body the way the API takes files (a CSV import, an image) and returns the new id. */
    async function upload(token: string, path: string, type: string, body: string | Buffer): Promise<string> {
      const response = await fetch(`${dash.stack.baseUrl}/api/v1${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": type },
        body,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
      return (JSON.parse(text) as { id: string }).id;
    }

    /** Polls `read` until it gives a value (at most 30 s). */
    async function poll<T>(read: () => Promise<T | undefined>): Promise<T> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const value = await read();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error("timed out waiting for the stack");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  },
);

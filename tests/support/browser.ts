import { existsSync } from "node:fs";
import { type Browser, type BrowserContextOptions, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import type { MailSummary } from "./mailbox";
import { type Stack, startStack } from "./stack";

/** Debian's Chromium: the only browser this machine can get (it cannot be downloaded). */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn("Chromium not found at /usr/bin/chromium: browser tests skipped");

/**
 * Headless Chromium with the flags this closed network needs: without the background-networking
 * ones it keeps trying Google's hosts and its connections are refused.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * The steps every dashboard suite takes on its page: wait for a page's h1, wait until nothing is
 * loading, open an area from the sidebar, find a table's body rows, read a code editor, sign in
 * and out. `current` returns the page (suites create it in beforeAll).
 */
export function dashboardSteps(current: () => Page) {
  /** Waits for the page's one h1 to read `name`. */
  const heading = async (name: string): Promise<void> => {
    await current().getByRole("heading", { level: 1, name, exact: true }).waitFor();
  };
  /** Waits until no table or screen is still loading. */
  const settled = async (): Promise<void> => {
    await expect.poll(() => current().locator('[aria-busy="true"]').count(), { timeout: 15_000 }).toBe(0);
  };
  /** Opens an area from the sidebar and waits for it to load. */
  const open = async (area: string): Promise<void> => {
    await current()
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: area, exact: true })
      .click();
    await heading(area);
    await settled();
  };
  /** The body rows of a table (not its header, nor the "no rows" line). */
  const tableRows = (table: string): Locator =>
    current().getByRole("table", { name: table }).locator("tbody > tr:not(:has(.table__empty))");
  /** The body rows of a table that contain `text`. */
  const row = (table: string, text: string): Locator => tableRows(table).filter({ hasText: text });
  /** A CodeMirror editor (its contenteditable), named by its label ("HTML", "Plain text"). */
  const codeEditor = (label: string): Locator => current().getByRole("textbox", { name: label, exact: true });
  /** The field around a code editor: its lines, gutters and lint marks. */
  const codeField = (label: string): Locator =>
    current()
      .locator(".code-field")
      .filter({ has: codeEditor(label) });
  /** The document a code editor shows, line by line (short documents: all of it is rendered). */
  const codeEditorText = async (label: string): Promise<string> => {
    // The editors mount just after the page's heading shows.
    await codeEditor(label).waitFor();
    return (await codeField(label).locator(".cm-line").allTextContents()).join("\n");
  };
  /** Signs in on the login page (the page must show it) and waits for the Overview. */
  const signIn = async (account: { email: string; password: string }): Promise<void> => {
    await current().getByLabel("Email").fill(account.email);
    await current().getByLabel("Password").fill(account.password);
    await current().getByRole("button", { name: "Sign in" }).click();
    await heading("Overview");
  };
  /** Signs out from the sidebar and waits for the login page. */
  const signOut = async (): Promise<void> => {
    await current().getByRole("button", { name: "Sign out" }).click();
    await heading("Sign in");
  };
  return { heading, settled, open, tableRows, row, codeEditor, codeField, codeEditorText, signIn, signOut };
}

export interface Account {
  name: string;
  email: string;
  password: string;
}

export interface DashboardFixture {
  /** The one page the suite's steps share (created in beforeAll). */
  readonly page: Page;
  readonly browser: Browser;
  readonly stack: Stack;
  /** Uncaught errors raised in the page, for a last "raised no errors" step. */
  readonly pageErrors: string[];
  /** Creates the first account through the setup page, signed in, on the Overview. */
  setUpOwner(owner: Account): Promise<void>;
  /** Creates the first account through the API, for suites that start at the login page. */
  createOwner(owner: Account): Promise<void>;
  /** A call to the API as the owner (after setUpOwner), for data the pages under test do not make. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** The same call when only its answer matters: the parsed body, and the step fails unless it succeeded. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** The messages in the stack's dev mailbox addressed to `email` (any case). */
  mailTo(email: string): Promise<MailSummary[]>;
}

/** What a suite's stack and page need beyond the defaults. */
export interface DashboardOptions {
  /** The stack's options, or a function that makes them once the suite's own beforeAll hooks ran. */
  stack?: StackOptions | (() => StackOptions);
  /** The page's context: locale, time zone, downloads, permissions. */
  page?: BrowserContextOptions;
}

type StackOptions = NonNullable<Parameters<typeof startStack>[0]>;

/**
 * The shared setup of a dashboard suite: registers beforeAll/afterAll hooks that start a fresh
 * stack, Chromium and one page with its error log, and stop them after. Call it in a describe
 * body, after any beforeAll the stack's options depend on (a double it must reach); the returned
 * fixture's fields are ready inside the steps.
 */
export function useDashboard(
  options: DashboardOptions = {},
): DashboardFixture & ReturnType<typeof dashboardSteps> {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let owner: Account | undefined;
  let ownerToken: string | undefined;
  const pageErrors: string[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: use the fixture inside a step`);
    return value;
  };

  beforeAll(async () => {
    const stackOptions = typeof options.stack === "function" ? options.stack() : options.stack;
    stack = await startStack({ fresh: true, ...stackOptions });
    browser = await launchChromium();
    page = await browser.newPage({ baseURL: stack.baseUrl, ...options.page });
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  const current = () => ready(page, "the page");
  const base = () => ready(stack, "the stack").baseUrl;
  const steps = dashboardSteps(current);
  const api = async <T>(method: string, path: string, body?: unknown) => {
    if (!ownerToken) {
      const account = ready(owner, "the owner");
      const login = await fetch(`${base()}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: account.email, password: account.password }),
      });
      ownerToken = ((await login.json()) as { accessToken: string }).accessToken;
    }
    const response = await fetch(`${base()}/api/v1${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${ownerToken}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { ok: response.ok, status: response.status, text, body: (text ? JSON.parse(text) : null) as T };
  };
  return {
    ...steps,
    get page() {
      return current();
    },
    get browser() {
      return ready(browser, "the browser");
    },
    get stack() {
      return ready(stack, "the stack");
    },
    pageErrors,
    async setUpOwner(account) {
      owner = account;
      await current().goto("/");
      await current().waitForURL("**/setup");
      await steps.heading("Set up Edgepost");
      await current().getByLabel("Your name").fill(account.name);
      await current().getByLabel("Email").fill(account.email);
      await current().getByLabel("Password").fill(account.password);
      await current().getByRole("button", { name: "Create owner account" }).click();
      await steps.heading("Overview");
    },
    async createOwner(account) {
      const response = await fetch(`${base()}/api/v1/auth/setup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(account),
      });
      if (!response.ok) throw new Error(`owner setup: ${response.status} ${await response.text()}`);
      owner = account;
    },
    async api<T>(method: string, path: string, body?: unknown) {
      const { status, body: parsed } = await api<T>(method, path, body);
      return { status, body: parsed };
    },
    async call<T>(method: string, path: string, body?: unknown) {
      const answer = await api<T>(method, path, body);
      if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
      return answer.body;
    },
    async mailTo(email) {
      const box = ready(stack, "the stack").mailboxUrl;
      const all = (await (await fetch(`${box}/api/messages`)).json()) as MailSummary[];
      return all.filter((mail) => mail.to.some((to) => to.toLowerCase() === email.toLowerCase()));
    },
  };
}

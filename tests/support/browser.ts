import { existsSync } from "node:fs";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";

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
 * loading, open an area from the sidebar, find a table's body rows. `current` returns the page
 * (suites create it in beforeAll).
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
  return { heading, settled, open, tableRows, row };
}

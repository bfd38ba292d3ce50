import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The automation pages in a real browser against a real Worker and an empty database: build a
 * three-step workflow from nothing (custom event -> send -> wait -> exit), see the missing
 * template marked on its step, fix it, create and activate the workflow, send the event through
 * the API and watch the counts on the steps move; then open a 200-step workflow made through the
 * API and pan and zoom it. The steps share one page and run in order.
 */

const owner = { name: "Olive Owner", email: "olive@example.com", password: "correct horse battery staple" };
const ada = "ada@example.com";
const HTML = `<html><body><p>Welcome {{ subscriber.name }}</p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>`;
const WORKFLOW = "Signup follow-up";

describe.skipIf(!hasChromium)(
  "workflow editor in a real browser",
  { timeout: 90_000, sequential: true },
  () => {
    const dash = useDashboard({ page: { viewport: { width: 1440, height: 900 } } });
    const { heading, settled, open, call } = dash;
    let templateId = "";

    const node = (id: string) => dash.page.locator(`[data-node-id="${id}"]`);
    const addAfter = async (from: string, type: string) => {
      // The whole flow in view first: a "+" at the canvas's edge is not scrolled to (a scroll of
      // the canvas pans it, and the click would land where the button was).
      await dash.page
        .getByRole("group", { name: "Zoom" })
        .getByRole("button", { name: "Fit", exact: true })
        .click();
      await dash.page.getByRole("button", { name: `Add a step after ${from}`, exact: true }).click();
      await dash.page.getByRole("menuitem", { name: new RegExp(`^${type} [A-Z]`) }).click();
    };

    it("sets up the owner, a subscriber, a template and the default sender", async () => {
      await dash.setUpOwner(owner);
      await call("POST", "/subscribers", { email: ada, name: "Ada" });
      templateId = (
        await call<{ id: string }>("POST", "/templates", { name: "Welcome mail", subject: "Hi", html: HTML })
      ).id;
      await call("PATCH", "/settings", { defaultFromName: "Edgepost", defaultFromEmail: "news@example.com" });
    });

    it("builds trigger -> send -> wait -> exit from a blank workflow", async () => {
      const page = dash.page;
      await open("Automations");
      await page
        .getByRole("table", { name: "Workflows" })
        .getByText("No workflows yet.", { exact: false })
        .waitFor();
      await page.getByRole("button", { name: "New workflow" }).click();
      const dialog = page.getByRole("dialog", { name: "New workflow" });
      await dialog.getByRole("radio", { name: /Blank workflow/ }).check();
      await dialog.getByRole("button", { name: "Continue" }).click();
      await heading("New workflow");
      await settled();

      const settings = page.getByTestId("settings-panel");
      await settings.getByLabel("Name", { exact: true }).fill(WORKFLOW);
      await settings.getByLabel("Event name").fill("signed_up");
      await addAfter("the trigger", "Send email");
      await addAfter("send-1", "Wait");
      await addAfter("wait-2", "Exit");
      for (const id of ["send-1", "wait-2", "exit-3"]) await node(id).waitFor();
      // The wait starts at one day, shown on its card.
      expect(await node("wait-2").textContent()).toContain("1 day");
    });

    it("undoes and redoes with the keyboard, and keeps every key typed fast", async () => {
      const page = dash.page;
      await page.keyboard.press("Control+z");
      await expect.poll(() => node("exit-3").count()).toBe(0);
      await page.keyboard.press("Control+Shift+z");
      await node("exit-3").waitFor();

      await node("wait-2").click();
      const label = page.getByTestId("node-panel").getByLabel("Label (optional)");
      const typed = "Give them a day to read it, then end";
      await label.pressSequentially(typed);
      expect(await label.inputValue()).toBe(typed);
      await expect.poll(() => node("wait-2").textContent()).toContain(typed);
      // The whole label was one edit: one undo takes all of it away.
      await page.keyboard.press("Control+z");
      await expect.poll(() => node("wait-2").textContent()).not.toContain("Give them");
      await page.keyboard.press("Control+Shift+z");
      await expect.poll(() => node("wait-2").textContent()).toContain(typed);
    });

    it("keeps the unsaved workflow through a reload", async () => {
      const page = dash.page;
      await page.reload();
      await page.getByTestId("draft-notice").waitFor();
      for (const id of ["send-1", "wait-2", "exit-3"]) await node(id).waitFor();
      expect(await page.getByTestId("settings-panel").getByLabel("Name", { exact: true }).inputValue()).toBe(
        WORKFLOW,
      );
    });

    it("marks the send step until a template is chosen, and will not save before", async () => {
      const page = dash.page;
      await expect.poll(() => node("send-1").getByTestId("node-problem").textContent()).toContain("template");
      await page.getByRole("button", { name: "Create workflow" }).click();
      await page.getByTestId("error-banner").filter({ hasText: "problem" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/workflows/new");

      await node("send-1").click();
      await page.getByTestId("node-panel").getByLabel("Template").selectOption({ label: "Welcome mail" });
      await expect.poll(() => node("send-1").getByTestId("node-problem").count()).toBe(0);
      expect(await node("send-1").textContent()).toContain("Welcome mail");
    });

    it("creates the workflow once, whatever the clicks, then activates it", async () => {
      const page = dash.page;
      const creates: string[] = [];
      const count = (request: { method(): string; url(): string }) => {
        if (request.method() === "POST" && request.url().endsWith("/api/v1/workflows"))
          creates.push(request.url());
      };
      page.on("request", count);
      await page.getByRole("button", { name: "Create workflow" }).dblclick();
      await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
      page.off("request", count);
      expect(creates).toHaveLength(1);
      await heading(WORKFLOW);
      await settled();
      expect(await page.getByTestId("workflow-status").textContent()).toBe("draft");
      await page.getByRole("button", { name: "Activate", exact: true }).click();
      await expect.poll(() => page.getByTestId("workflow-status").textContent()).toBe("active");
      // A running workflow shows counts on every step, zero so far.
      await expect.poll(() => node("wait-2").getByTestId("node-stats").textContent()).toContain("0 waiting");
    });

    it("moves the counts on the steps after an event for a subscriber", async () => {
      await call("POST", "/events", { email: ada, name: "signed_up", properties: { plan: "pro" } });
      const stat = (id: string, name: string) => node(id).locator(`[data-stat="${name}"]`).textContent();
      // Stats are read every 5 s; the run goes through the queue first.
      await expect.poll(() => stat("wait-2", "waiting"), { timeout: 40_000, interval: 500 }).toBe("1");
      expect(await stat("send-1", "passed")).toBe("1");
      await expect.poll(() => stat("send-1", "sent"), { timeout: 30_000, interval: 500 }).toBe("1");
    });

    it("publishes an edit of the active workflow as a new version", async () => {
      const page = dash.page;
      await node("exit-3").click();
      await page.getByTestId("node-panel").getByLabel("Label (optional)").fill("Done");
      expect(await page.getByTestId("version-notice").textContent()).toContain("stay on version 1");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.getByText("Published version 2. Running instances stay on version 1.").waitFor();
      await expect.poll(() => page.getByTestId("version-notice").count()).toBe(0);
    });

    it("lists the run (on version 1) and shows its path", async () => {
      const page = dash.page;
      await page.getByRole("link", { name: "Runs" }).click();
      await heading(`Runs of ${WORKFLOW}`);
      await settled();
      await page.getByRole("table", { name: "Runs" }).getByRole("link", { name: ada }).click();
      await heading(`Run of ${ada}`);
      await settled();
      expect(await page.getByTestId("current-node").textContent()).toContain("wait-2");
      expect(await page.getByText("version 1", { exact: false }).count()).toBeGreaterThan(0);
      expect(await page.getByRole("table", { name: "Path taken" }).textContent()).toContain("send-1");
    });

    it("draws a 200-step workflow made through the API, then pans and zooms it", async () => {
      const page = dash.page;
      const created = await call<{ id: string }>("POST", "/workflows", bigWorkflow(templateId));
      const started = Date.now();
      await page.goto(`/workflows/${created.id}`);
      await heading("Two hundred steps");
      await expect.poll(() => page.locator(".wf-node").count(), { timeout: 20_000 }).toBe(201);
      const drawn = Date.now() - started;
      expect(drawn, `drawn in ${drawn} ms`).toBeLessThan(15_000);

      const world = page.locator(".wf-world");
      const before = await world.getAttribute("style");
      const spot = await emptySpot(page);
      const panStart = Date.now();
      await page.mouse.move(spot.x, spot.y);
      await page.mouse.down();
      for (let step = 1; step <= 30; step++) await page.mouse.move(spot.x + step * 4, spot.y - step * 10);
      await page.mouse.up();
      expect(Date.now() - panStart).toBeLessThan(5_000);
      expect(await world.getAttribute("style")).not.toBe(before);

      const level = page.getByTestId("zoom-level");
      const zoomBefore = await level.textContent();
      await page.getByRole("button", { name: "Zoom in" }).click();
      expect(await level.textContent()).not.toBe(zoomBefore);
      await page.keyboard.down("Control");
      await page.mouse.move(spot.x, spot.y);
      await page.mouse.wheel(0, -200);
      await page.keyboard.up("Control");
      expect(dash.pageErrors).toEqual([]);
    });
  },
);

/** A free point on the canvas (no step, "+" or control under it), in page coordinates. */
async function emptySpot(page: Page): Promise<{ x: number; y: number }> {
  const found = await page.evaluate(`(() => {
    const box = document.querySelector(".wf-canvas").getBoundingClientRect();
    for (let y = box.top + 20; y < box.bottom - 20; y += 15)
      for (let x = box.left + 20; x < box.right - 20; x += 15) {
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest(".wf-canvas") && !hit.closest("button, fieldset")) return { x, y };
      }
    return null;
  })()`);
  if (!found) throw new Error("no empty spot on the canvas");
  return found as { x: number; y: number };
}

/**
 * 66 blocks of split -> (send -> wait | wait), each wait leading to the next block, and an exit:
 * 200 steps, every branch joined again, valid for the API.
 */
function bigWorkflow(templateId: string) {
  const nodes: Record<string, unknown>[] = [];
  const edges: { from: string; to: string; branch?: string }[] = [];
  for (let block = 0; block < 66; block++) {
    const [split, send, wait] = [`split-${block}`, `send-${block}`, `wait-${block}`];
    nodes.push({ id: split, type: "split", weights: [50, 50] });
    nodes.push({ id: send, type: "send", templateId });
    nodes.push({ id: wait, type: "wait", seconds: 3600 });
    edges.push(
      { from: split, to: send, branch: "0" },
      { from: split, to: wait, branch: "1" },
      { from: send, to: wait },
    );
    if (block > 0) edges.push({ from: `wait-${block - 1}`, to: split });
  }
  nodes.push({ id: "last-wait", type: "wait", seconds: 60 }, { id: "done", type: "exit" });
  edges.push({ from: "wait-65", to: "last-wait" }, { from: "last-wait", to: "done" });
  return { name: "Two hundred steps", trigger: { type: "event", name: "big_test" }, nodes, edges };
}

import { describe, expect, it } from "vitest";
import { sixtyBlockDocument } from "../../scripts/bench/builder-fixture";
import { hasChromium, useDashboard } from "../support/browser";
import { png } from "../support/images";

/**
 * The block builder in a real browser: a newsletter built from blocks (heading, text, an image
 * uploaded through the image library, button, footer), saved (the Worker compiles it with MJML), sent as a test to the dev mailbox and
 * read back there; then a 60-block document whose rows are dragged into a new order, each drag
 * answered well under a second, and saved in that order.
 */

const owner = { name: "Bea Builder", email: "bea@example.com", password: "correct horse battery staple" };

interface Detail {
  html: string;
  subject: string;
}

describe.skipIf(!hasChromium)("block builder", { timeout: 120_000, sequential: true }, () => {
  const dash = useDashboard();
  const { heading, settled, open } = dash;
  const canvas = () => dash.page.getByRole("list", { name: "Blocks of the email" });
  const rowTypes = () =>
    canvas()
      .locator(":scope > li.bb-row > [data-block-type]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-block-type")));
  const rowIds = () =>
    canvas()
      .locator(":scope > li.bb-row")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-row-id")));
  const block = (type: string, n = 0) => canvas().locator(`[data-block-type="${type}"]`).nth(n);
  let imageUrl = "";

  it("sets up the owner and the default sender", async () => {
    await dash.setUpOwner(owner);
    const settings = await dash.api("PATCH", "/settings", {
      defaultFromName: "Builder News",
      defaultFromEmail: "news@example.com",
    });
    expect(settings.status).toBe(200);
  });

  it("builds a newsletter from blocks by clicking and dragging", async () => {
    const page = dash.page;
    await open("Templates");
    await page.getByRole("link", { name: "New template" }).click();
    await heading("New template");
    await page.getByLabel("Starting layout (block builder)").selectOption("blank");
    await page.getByRole("button", { name: "Block builder" }).click();
    await dash.page.getByTestId("block-builder").waitFor();
    expect(await rowTypes()).toEqual(["footer"]);

    const palette = page.getByRole("region", { name: "Blocks to add" });
    for (const name of ["Heading", "Text", "Image", "Button"])
      await palette.getByRole("button", { name, exact: true }).click();
    expect(await rowTypes()).toEqual(["footer", "heading", "text", "image", "button"]);
    // The footer goes last: dragged onto the end of the canvas.
    await block("footer").dragTo(canvas().locator(".bb-canvas__end"));
    await expect.poll(rowTypes).toEqual(["heading", "text", "image", "button", "footer"]);

    await block("heading").click();
    await page.getByLabel("Heading", { exact: true }).fill("Spring newsletter");
    await block("text").click();
    const area = page.getByRole("textbox", { name: "Text", exact: true });
    await area.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.type('Hello {{ subscriber.name | default: "reader" }}, the garden is in bloom.');
    // The image comes from the library: uploaded in its dialog, then picked.
    await block("image").click();
    await page.getByRole("button", { name: "Choose image…" }).click();
    const library = page.getByRole("dialog", { name: "Image library" });
    await library.getByLabel("Upload images").setInputFiles({
      name: "spring.png",
      mimeType: "image/png",
      buffer: Buffer.from(png(60, 30)),
    });
    await library.getByRole("button", { name: "Use spring.png" }).click();
    await library.waitFor({ state: "hidden" });
    await expect
      .poll(() => page.getByLabel("Image URL").inputValue())
      .toMatch(/\/media\/[0-9a-f-]{36}\.png$/);
    imageUrl = await page.getByLabel("Image URL").inputValue();
    await page.getByLabel("Alt text").fill("Spring flowers");
    await block("button").click();
    await page.getByLabel("Label", { exact: true }).fill("Read the news");
    await page.getByLabel("Link", { exact: true }).fill("https://example.com/news");

    // Delete, then undo with the keyboard and with the toolbar's redo/undo.
    await block("image").click();
    await block("image").getByRole("button", { name: "Delete Image" }).click();
    await expect.poll(rowTypes).toEqual(["heading", "text", "button", "footer"]);
    await block("heading").click();
    await page.keyboard.press("Control+z");
    await expect.poll(rowTypes).toEqual(["heading", "text", "image", "button", "footer"]);
    await page.getByRole("button", { name: "Redo" }).click();
    await expect.poll(rowTypes).toEqual(["heading", "text", "button", "footer"]);
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(rowTypes).toEqual(["heading", "text", "image", "button", "footer"]);
    await block("image").click();
    expect(await page.getByLabel("Alt text").inputValue()).toBe("Spring flowers");

    await page.getByLabel("Name", { exact: true }).fill("Block newsletter");
    await page.getByLabel("Subject", { exact: true }).fill("Spring news");
    // The live preview shows the compiled blocks (mobile width too).
    const preview = page.frameLocator('iframe[title="Preview of the HTML"]');
    await expect
      .poll(() => preview.locator("body").textContent(), { timeout: 20_000 })
      .toContain("Spring newsletter");
    await page.getByRole("button", { name: "Mobile" }).click();
    await page.getByRole("button", { name: "Create template" }).click();
    await heading("Block newsletter");
    await settled();
    await dash.page.getByTestId("block-builder").waitFor();
    expect(await rowTypes()).toEqual(["heading", "text", "image", "button", "footer"]);
  });

  it("sends a test whose HTML in the mailbox holds every block", async () => {
    const page = dash.page;
    await page.getByRole("button", { name: "Send a test" }).click();
    const dialog = page.getByRole("dialog", { name: "Send a test" });
    await dialog.getByLabel("Addresses").fill("reader@example.com");
    await dialog.getByRole("button", { name: "Send test" }).click();
    await dialog.getByRole("table", { name: "Test results" }).waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();

    let id: string | undefined;
    await expect
      .poll(async () => (id = (await dash.mailTo("reader@example.com"))[0]?.id), { timeout: 20_000 })
      .toBeTruthy();
    const detail = (await (await fetch(`${dash.stack.mailboxUrl}/api/messages/${id}`)).json()) as Detail;
    expect(detail.html).toContain("Spring newsletter");
    expect(detail.html).toContain("the garden is in bloom");
    expect(detail.html).toMatch(/Hello (reader|Bea Builder|[^,<]+), the garden/);
    expect(detail.html).not.toContain("{{");
    // The uploaded image, served from the Worker's origin.
    expect(detail.html).toContain(imageUrl);
    const served = await fetch(imageUrl);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toContain("immutable");
    expect(detail.html).toContain('alt="Spring flowers"');
    expect(detail.html).toContain("Read the news");
    expect(detail.html).toContain("Unsubscribe");
    // MJML's responsive scaffolding made it through the send path.
    expect(detail.html).toMatch(/mj-column-per-100|@media only screen/);
  });

  it("converts to HTML only after confirming", async () => {
    const page = dash.page;
    await page.getByRole("button", { name: "Convert to HTML" }).click();
    const dialog = page.getByRole("dialog", { name: "Convert to HTML?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dash.page.getByTestId("block-builder").waitFor();
    await page.getByRole("button", { name: "Convert to HTML" }).click();
    await page
      .getByRole("dialog", { name: "Convert to HTML?" })
      .getByRole("button", { name: "Convert to HTML" })
      .click();
    await dash.codeEditor("HTML").waitFor();
    expect(await page.getByTestId("block-builder").count()).toBe(0);
    await page.getByRole("button", { name: "Save template" }).click();
    await page.getByRole("status").getByText("Saved as version 2.").waitFor();
    const id = new URL(page.url()).pathname.split("/").pop();
    const saved = await dash.call<{ editor: string; blocks: unknown; html: string }>(
      "GET",
      `/templates/${id}`,
    );
    expect(saved.editor).toBe("html");
    expect(saved.blocks).toBeNull();
    expect(saved.html).toContain("Spring newsletter");
  });

  it("stays responsive dragging rows of a 60-block document", async () => {
    const page = dash.page;
    const created = await dash.call<{ id: string }>("POST", "/templates", {
      name: "Sixty blocks",
      subject: "Big issue",
      editor: "blocks",
      blocks: sixtyBlockDocument(),
    });
    await page.setViewportSize({ width: 1400, height: 1400 });
    await page.goto(`/templates/${created.id}`);
    await heading("Sixty blocks");
    await settled();
    const before = await rowIds();
    expect(before.length).toBeGreaterThanOrEqual(60);
    const rowEl = (id: string) => canvas().locator(`:scope > li[data-row-id="${id}"]`);
    const moves: [number, number][] = [
      [0, 3],
      [10, 1],
      [5, 14],
      [30, 24],
      [40, 48],
      [55, 50],
    ];
    // In the page: from the drop event to the canvas's rows changing (the builder's own time,
    // without the driver's round trips).
    await page.evaluate(`(() => {
      window.appliedMs = [];
      document.addEventListener("drop", () => (window.dropAt = performance.now()), true);
      new MutationObserver(() => {
        if (window.dropAt) window.appliedMs.push(performance.now() - window.dropAt);
        window.dropAt = 0;
      }).observe(document.querySelector(".bb-canvas"), { childList: true });
    })()`);
    const times: number[] = [];
    let order = before;
    for (const [from, to] of moves) {
      const moving = order[from] as string;
      const targetId = order[to] as string;
      const target = rowEl(targetId);
      // Both rows in view (the drag itself does not scroll the page).
      await rowEl(moving).evaluate((e) => e.scrollIntoView({ block: "center" }));
      const t0 = performance.now();
      // Dropped on the upper part of the target row: lands before it.
      await rowEl(moving).dragTo(target, { targetPosition: { x: 20, y: 3 } });
      await expect.poll(async () => (await rowIds()).indexOf(moving), { interval: 20 }).not.toBe(from);
      times.push(performance.now() - t0);
      order = await rowIds();
      expect(order[order.indexOf(moving) + 1]).toBe(targetId);
      expect([...order].sort()).toEqual([...before].sort());
    }
    const applied = (await page.evaluate("window.appliedMs")) as number[];
    const report = `drop to re-render: ${applied.map((t) => t.toFixed(0)).join(", ")} ms; whole drag through the driver: ${times.map((t) => t.toFixed(0)).join(", ")} ms`;
    console.log(report);
    expect(applied).toHaveLength(moves.length);
    // Well under a second on the shared 2-core test VM (73-328 ms there, with the preview re-rendering).
    expect(Math.max(...applied), report).toBeLessThan(500);
    expect(Math.max(...times), report).toBeLessThan(3000);

    // Typing into a block's settings keeps up too (one row re-renders, not sixty).
    await block("heading", 10).click();
    const input = page.getByLabel("Heading", { exact: true });
    await input.fill("");
    const t0 = performance.now();
    await input.pressSequentially("Typed into a sixty-block email", { delay: 5 });
    await expect.poll(() => block("heading", 10).textContent()).toContain("Typed into a sixty-block email");
    expect(performance.now() - t0).toBeLessThan(5000);

    await page.getByRole("button", { name: "Save template" }).click();
    await page.getByRole("status").getByText("Saved as version 2.").waitFor();
    const saved = await dash.call<{ blocks: { rows: { id: string }[] } }>("GET", `/templates/${created.id}`);
    expect(saved.blocks.rows.map((r) => r.id)).toEqual(await rowIds());
    expect(dash.pageErrors).toEqual([]);
  });
});

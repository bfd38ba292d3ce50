import { afterAll, describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";
import { png } from "../support/images";

/**
 * The Images page in a real browser against a real Worker and its local R2: upload by the file
 * input and by drag and drop (with progress), the new image shown in the grid from /media/,
 * refusals said in plain words before anything is sent, delete with a confirmation, and the
 * library read-only to an analyst. The steps share one page and run in order.
 */

const owner = { name: "Ivy Images", email: "ivy@example.com", password: "pictures are worth words" };
const analyst = { name: "Ana Analyst", email: "ana@example.com", password: "read only passphrase" };

describe.skipIf(!hasChromium)(
  "image library in a real browser",
  { timeout: 60_000, sequential: true },
  () => {
    const dash = useDashboard();
    const { open, settled } = dash;
    const tiles = () => dash.page.getByTestId("image-tile");
    const tile = (name: string) => tiles().filter({ hasText: name });
    const fileInput = () => dash.page.getByLabel("Upload images");

    afterAll(() => {
      expect(dash.pageErrors).toEqual([]);
    });

    it("opens an empty library from the sidebar", async () => {
      await dash.setUpOwner(owner);
      await open("Images");
      await expect.poll(() => dash.page.getByText("No images yet").isVisible()).toBe(true);
    });

    it("uploads an image through the file input and shows it in the grid, loaded from /media/", async () => {
      await fileInput().setInputFiles({
        name: "banner.png",
        mimeType: "image/png",
        buffer: Buffer.from(png(40, 20)),
      });
      await tile("banner.png").waitFor();
      await expect.poll(() => tile("banner.png").textContent()).toContain("40×20");
      const img = tile("banner.png").locator("img");
      await expect
        .poll(() =>
          img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).naturalWidth),
        )
        .toBe(40);
      expect(await img.getAttribute("src")).toMatch(/^\/media\/[0-9a-f-]{36}\.png$/);
    });

    it("uploads a dropped image", async () => {
      const bytes = [...png(8, 8, [20, 120, 220])];
      const transfer = await dash.page.evaluateHandle(`(() => {
        const transfer = new DataTransfer();
        const bytes = new Uint8Array(${JSON.stringify(bytes)});
        transfer.items.add(new File([bytes], "dropped.png", { type: "image/png" }));
        return transfer;
      })()`);
      await dash.page.getByTestId("image-dropzone").dispatchEvent("drop", { dataTransfer: transfer });
      await tile("dropped.png").waitFor();
      // Newest first.
      await expect.poll(() => tiles().first().textContent()).toContain("dropped.png");
    });

    it("says in plain words why an SVG or a file over 5 MB cannot be used, and uploads nothing", async () => {
      const before = await tiles().count();
      await fileInput().setInputFiles({
        name: "logo.svg",
        mimeType: "image/svg+xml",
        buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      });
      await expect
        .poll(() => dash.page.getByTestId("image-problem").textContent())
        .toContain("logo.svg is an SVG image");
      // Made in the page: 6 MB through setInputFiles is slow to hand over to the browser.
      const huge = await dash.page.evaluateHandle(`(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(6 * 1024 * 1024)], "huge.png", { type: "image/png" }));
        return transfer;
      })()`);
      await dash.page.getByTestId("image-dropzone").dispatchEvent("drop", { dataTransfer: huge });
      await expect
        .poll(() => dash.page.getByTestId("image-problem").textContent())
        .toContain("huge.png is 6.0 MB; images can be at most 5 MB");
      expect(await tiles().count()).toBe(before);
    });

    it("shows the server's refusal of a file that only claims to be an image", async () => {
      await fileInput().setInputFiles({
        name: "fake.png",
        mimeType: "image/png",
        buffer: Buffer.from("not a picture"),
      });
      await expect
        .poll(() => dash.page.getByTestId("error-banner").textContent())
        .toContain("This file is not an image we accept");
    });

    it("deletes an image after asking, and its address stops answering", async () => {
      const src = (await tile("dropped.png").locator("img").getAttribute("src")) ?? "";
      await tile("dropped.png")
        .getByRole("button", { name: /Delete/ })
        .click();
      await dash.page.getByRole("dialog").getByRole("button", { name: "Delete image" }).click();
      await expect.poll(() => tile("dropped.png").count()).toBe(0);
      await settled();
      expect((await fetch(`${dash.stack.baseUrl}${src}`)).status).toBe(404);
    });

    it("lets an analyst browse the library but not upload or delete", async () => {
      const created = await dash.api("POST", "/users", { ...analyst, role: "analyst" });
      expect(created.status).toBe(201);
      await dash.signOut();
      await dash.signIn(analyst);
      await open("Images");
      await tile("banner.png").waitFor();
      expect(await dash.page.getByTestId("image-dropzone").count()).toBe(0);
      expect(
        await tile("banner.png")
          .getByRole("button", { name: /Delete/ })
          .count(),
      ).toBe(0);
    });
  },
);

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * The Webhooks page in a real browser: add an endpoint (the secret shown once), send a test event
 * to a local receiver, read the delivery log and redeliver, turn the endpoint off, delete it.
 */

const owner = { name: "Hook Owner", email: "hooks@example.com", password: "correct horse battery staple" };
const got: { headers: Record<string, string>; body: string }[] = [];
let server: Server;
let url = "";

describe.skipIf(!hasChromium)("webhooks page", { timeout: 60_000, sequential: true }, () => {
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        got.push({ headers: req.headers as Record<string, string>, body });
        res.end("received");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const dash = useDashboard();
  let secret = "";

  it("adds an endpoint and shows its signing secret once", async () => {
    const page = dash.page;
    await dash.setUpOwner(owner);
    await dash.call("PATCH", "/settings", { webhooks: { allowPrivateTargets: true } });
    await dash.open("Webhooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const form = page.getByRole("form", { name: "Add webhook endpoint" });
    await form.getByLabel("Endpoint URL").fill(url);
    await form.getByLabel("Subscriber created").check();
    await form.getByRole("button", { name: "Add endpoint" }).click();
    secret = (await page.getByTestId("new-webhook-secret").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "I have saved it" }).click();
    expect(await page.getByTestId("new-webhook-secret").count()).toBe(0);
    await dash.row("Webhooks", url).waitFor();
    expect(await dash.row("Webhooks", url).textContent()).toContain("1 event");
  });

  it("sends a test event, logs it and redelivers it", async () => {
    const page = dash.page;
    await dash.row("Webhooks", url).getByRole("button", { name: "Send test" }).click();
    await expect.poll(() => got.length, { timeout: 20_000 }).toBe(1);
    const event = new Webhook(secret).verify(got[0]?.body ?? "", got[0]?.headers ?? {}) as { type: string };
    expect(event.type).toBe("webhook.test");
    await dash.row("Webhooks", url).getByRole("button", { name: "Deliveries" }).click();
    const log = page.getByTestId("webhook-log");
    await log.getByRole("table", { name: "Delivery log" }).getByText("webhook.test").waitFor();
    expect(await log.getByRole("table", { name: "Delivery log" }).textContent()).toContain("received");
    await log.getByRole("button", { name: "Redeliver" }).first().click();
    await expect.poll(() => got.length, { timeout: 20_000 }).toBe(2);
    expect(got[1]?.headers["webhook-id"]).toBe(got[0]?.headers["webhook-id"]);
  });

  it("turns the endpoint off and deletes it", async () => {
    const page = dash.page;
    await dash.row("Webhooks", url).getByRole("button", { name: "Turn off" }).click();
    await dash.row("Webhooks", url).getByText("Off", { exact: true }).waitFor();
    await dash.row("Webhooks", url).getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Delete endpoint" }).click();
    await expect.poll(() => dash.row("Webhooks", url).count()).toBe(0);
    expect(dash.pageErrors).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { api, ownerLogin } from "../support/api";
import { mailDetail, waitForMail } from "../support/mailbox";

const tag = Math.random().toString(36).slice(2, 7);
let token: string;

async function template(track?: boolean) {
  const res = await api("POST", "/api/v1/templates", {
    token,
    body: {
      name: `Receipt ${tag} ${track ?? "default"}`,
      kind: "transactional",
      subject: "Your receipt",
      html: '<p>Thanks, {{ data.name }}. <a href="https://shop.example.com/orders/1">See your order</a></p>',
      ...(track === undefined ? {} : { track }),
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; track: boolean };
}

/** Sends one message and returns its HTML as received by the mailbox. */
async function sent(templateId: string, label: string, track?: boolean) {
  const to = `${label}-${tag}@example.com`;
  const res = await api("POST", "/api/v1/transactional", {
    token,
    body: {
      templateId,
      to,
      data: { name: "Ada" },
      fromEmail: "shop@example.com",
      ...(track === undefined ? {} : { track }),
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const [mail] = await waitForMail(to);
  return (await mailDetail(mail?.id ?? "")).html;
}

const tracked = (html: string) => ({
  pixel: /\/o\/[A-Za-z0-9_-]+/.test(html),
  rewritten: /\/c\/[A-Za-z0-9_-]+/.test(html) && !html.includes('href="https://shop.example.com/orders/1"'),
});

beforeAll(async () => {
  // Open and click tracking are on in the default settings, which this suite does not change.
  token = (await ownerLogin()).accessToken;
});

describe("transactional tracking", () => {
  it("tracks by default, and not at all with track: false on the send", async () => {
    const t = await template();
    expect(t.track).toBe(true);
    expect(tracked(await sent(t.id, "default"))).toEqual({ pixel: true, rewritten: true });
    expect(tracked(await sent(t.id, "off", false))).toEqual({ pixel: false, rewritten: false });
  });

  it("follows a template marked not to track, unless the send asks for tracking", async () => {
    const t = await template(false);
    expect(t.track).toBe(false);
    const fetched = await api("GET", `/api/v1/templates/${t.id}`, { token });
    expect(fetched.body.track).toBe(false);
    expect(tracked(await sent(t.id, "quiet"))).toEqual({ pixel: false, rewritten: false });
    expect(tracked(await sent(t.id, "asked", true))).toEqual({ pixel: true, rewritten: true });

    const on = await api("PATCH", `/api/v1/templates/${t.id}`, { token, body: { track: true } });
    expect(on.body.track).toBe(true);
    expect(tracked(await sent(t.id, "turned-on"))).toEqual({ pixel: true, rewritten: true });
  });
});

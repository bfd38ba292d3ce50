import { afterAll, describe, expect, it } from "vitest";
import { client } from "../../sdk/src/client.gen";
import {
  createApiKey,
  createCampaign,
  createList,
  createSubscriber,
  createTemplate,
  getCampaign,
  getCampaignStats,
  getCurrentUser,
  revokeApiKey,
  sendCampaign,
  signIn,
} from "../../sdk/src/index";
import { stack } from "../support/api";
import { captureResponse } from "../support/capture";
import { OWNER } from "../support/global-setup";
import { mailDetail, waitForMail } from "../support/mailbox";

/**
 * The generated client (sdk/) against the real Worker: a campaign from sign-in to the mailbox
 * through its functions only, the way an integrator would write it.
 */

const tag = Math.random().toString(36).slice(2, 7);
const addr = (local: string) => `${local}-${tag}@sdk.example.com`;
let token = "";
let ownerToken = "";
let keyId = "";

client.setConfig({ baseUrl: stack().baseUrl, auth: () => token });
// Every answer goes to the suites' secret scan, as tests/support/api.ts does for its calls.
client.interceptors.response.use(async (res, req) => {
  captureResponse(req.method, req.url, res.status, res.headers, await res.clone().text());
  return res;
});

afterAll(async () => {
  token = ownerToken;
  if (keyId) await revokeApiKey({ path: { id: keyId } });
});

describe("the generated TypeScript client", () => {
  it("signs in and drives a campaign to the mailbox with an API key", async () => {
    const { data: session } = await signIn({ body: { email: OWNER.email, password: OWNER.password } });
    ownerToken = session.accessToken;
    token = ownerToken;
    expect((await getCurrentUser()).data.role).toBe("owner");

    const { data: key } = await createApiKey({ body: { name: `sdk ${tag}`, role: "editor" } });
    keyId = key.id;
    token = key.key;

    const { data: list } = await createList({
      body: { name: `SDK ${tag}`, optIn: "single", visibility: "private" },
    });
    for (const [local, name] of [
      ["ada", "Ada"],
      ["grace", "Grace"],
    ] as const) {
      await createSubscriber({ body: { email: addr(local), name, listIds: [list.id] } });
    }
    const { data: template } = await createTemplate({
      body: {
        name: `SDK ${tag}`,
        subject: "News for {{ subscriber.name }}",
        html: '<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
      },
    });
    const { data: campaign } = await createCampaign({
      body: {
        name: `SDK ${tag}`,
        templateId: template.id,
        listIds: [list.id],
        fromName: "Edgepost SDK",
        fromEmail: "news@sdk.example.com",
      },
    });
    expect(campaign.status).toBe("draft");

    const { data: sending } = await sendCampaign({ path: { id: campaign.id } });
    expect(["sending", "sent"]).toContain(sending.status);
    await expect
      .poll(async () => (await getCampaign({ path: { id: campaign.id } })).data.status, { timeout: 60_000 })
      .toBe("sent");

    const { data: stats } = await getCampaignStats({ path: { id: campaign.id } });
    expect(stats).toMatchObject({ status: "sent", audience: 2, sent: 2, failed: 0, queued: 0 });

    const [mail] = await waitForMail(addr("ada"));
    expect(mail?.subject).toBe("News for Ada");
    expect((await mailDetail(mail?.id ?? "")).text).toContain("Hi Ada");
    expect((await waitForMail(addr("grace")))[0]?.subject).toBe("News for Grace");
  }, 120_000);

  it("returns the error envelope, typed, when asked not to throw", async () => {
    const res = await getCampaign({ path: { id: crypto.randomUUID() }, throwOnError: false });
    expect(res.response?.status).toBe(404);
    expect(res.error?.error.code).toBe("not_found");
  });
});

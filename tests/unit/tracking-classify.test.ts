import { describe, expect, it } from "vitest";
import { classifyClick, classifyOpen } from "../../workers/track/classify";

/** Agents as the sources cited in workers/track/classify.ts show them. */
const UA = {
  appleMpp: "Mozilla/5.0",
  gmailProxy: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
  yahooProxy:
    "Mozilla/5.0 (compatible; YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html)",
  outlook: "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)",
  appleMail: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
  iosMail:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  android:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
  chrome:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  thunderbird: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.0",
  proofpoint: "Mozilla/5.0 (compatible; Proofpoint URL Defense)",
  barracuda: "Barracuda Sentinel (EE)",
  mimecast: "Mozilla/5.0 (compatible; Mimecast URL Protect)",
  safeLinks: "Mozilla/4.0 (compatible; ms-office; MSOffice 16) Microsoft Office Existence Discovery",
  curl: "curl/8.4.0",
};

describe("open classification", () => {
  it("flags privacy proxies as machine opens with their label", () => {
    expect(classifyOpen(UA.appleMpp)).toEqual({ machine: true, client: "apple-mpp" });
    expect(classifyOpen(UA.gmailProxy)).toEqual({ machine: true, client: "gmail-proxy" });
    expect(classifyOpen(UA.yahooProxy)).toEqual({ machine: true, client: "yahoo-proxy" });
  });

  it("flags gateways, bots and empty agents as machine opens", () => {
    expect(classifyOpen(UA.proofpoint)).toEqual({ machine: true, client: "scanner:proofpoint" });
    expect(classifyOpen(UA.barracuda)).toEqual({ machine: true, client: "scanner:barracuda" });
    expect(classifyOpen(UA.safeLinks)).toEqual({ machine: true, client: "scanner:microsoft" });
    expect(classifyOpen(UA.curl)).toEqual({ machine: true, client: "scanner:bot" });
    expect(classifyOpen("")).toEqual({ machine: true, client: "scanner:empty" });
  });

  it("counts mail clients as people, with a coarse label", () => {
    expect(classifyOpen(UA.outlook)).toEqual({ machine: false, client: "outlook" });
    expect(classifyOpen(UA.appleMail)).toEqual({ machine: false, client: "apple-mail" });
    expect(classifyOpen(UA.iosMail)).toEqual({ machine: false, client: "ios" });
    expect(classifyOpen(UA.android)).toEqual({ machine: false, client: "android" });
    expect(classifyOpen(UA.thunderbird)).toEqual({ machine: false, client: "thunderbird" });
    expect(classifyOpen(UA.chrome)).toEqual({ machine: false, client: "webmail" });
    expect(classifyOpen("SomeClient/1.0")).toEqual({ machine: false, client: "other" });
  });
});

describe("click classification", () => {
  it("flags HEAD requests, scanners, proxies and bare or empty agents", () => {
    expect(classifyClick(UA.chrome, "HEAD")).toEqual({ machine: true, client: "scanner:head" });
    expect(classifyClick(UA.mimecast, "GET")).toEqual({ machine: true, client: "scanner:mimecast" });
    expect(classifyClick(UA.proofpoint, "HEAD")).toEqual({ machine: true, client: "scanner:proofpoint" });
    expect(classifyClick("", "GET")).toEqual({ machine: true, client: "scanner:empty" });
    expect(classifyClick(UA.appleMpp, "GET")).toEqual({ machine: true, client: "scanner:generic" });
    expect(classifyClick(UA.gmailProxy, "GET")).toEqual({ machine: true, client: "gmail-proxy" });
  });

  it("counts a browser navigation as a person", () => {
    expect(classifyClick(UA.chrome, "GET")).toEqual({ machine: false, client: "webmail" });
    expect(classifyClick(UA.iosMail, "GET")).toEqual({ machine: false, client: "ios" });
    expect(classifyClick(UA.outlook, "GET")).toEqual({ machine: false, client: "outlook" });
  });
});

/**
 * Tells machine opens and clicks from human ones, from what the request itself shows (method and
 * user agent), and gives the client a coarse label. A guess about a string the client controls: it
 * decides only which metrics an event counts in, never access to anything.
 *
 * Sources for the signatures:
 * - Apple Mail Privacy Protection fetches every image through Apple's proxies with the user agent
 *   exactly `Mozilla/5.0`, nothing more (ua-parser/uap-core issue #509, since 2021-09-20). Apple's
 *   proxy IP ranges are not available offline, so the user agent is the signal used here.
 * - Gmail's image proxy: `Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com
 *   GoogleImageProxy)` (darkvisitors.com/agents/googleimageproxy). Gmail fetches through it when
 *   the message is displayed, but the fetch says nothing about the person, so it is kept apart.
 * - Yahoo: `Mozilla/5.0 (compatible; YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html)`.
 * - Security gateways that open and click every link on the way in (Barracuda, Proofpoint URL
 *   Defense, Mimecast, Cisco Secure Email / IronPort, Trend Micro, Microsoft Safe Links with empty
 *   or MSOffice agents...): "Bot clicks from security scanners: a field guide"
 *   (check.live-direct-marketing.online), and APSIS's note that scanners click within seconds of
 *   the send (help.apsis.one "Suspiciously looking clicks"). That timing rule needs `sends.sent_at`,
 *   so the events consumer applies it (domain/tracking/ingest.ts), not this module.
 * - Desktop Outlook (`Microsoft Office/16.0 (...; Microsoft Outlook 16.0...)`) is a person reading.
 *   macOS Mail renders with a bare WebKit agent that names no browser (matomo-org/device-detector
 *   issue #7970 shows that agent).
 */

export interface Classification {
  /** A proxy prefetch or a scanner: recorded, kept out of the human metrics. */
  machine: boolean;
  /** `apple-mpp`, `gmail-proxy`, `yahoo-proxy`, `outlook`, `scanner:<name>`, ... or null when unknown. */
  client: string | null;
}

/** Privacy proxies that fetch images on the reader's behalf. */
const PROXIES: [RegExp, string][] = [
  [/GoogleImageProxy|ggpht\.com/i, "gmail-proxy"],
  [/YahooMailProxy/i, "yahoo-proxy"],
];

/** Security gateways and other automated fetchers, by the name their agents carry. */
const SCANNERS: [RegExp, string][] = [
  [/proofpoint/i, "proofpoint"],
  [/mimecast/i, "mimecast"],
  [/barracuda/i, "barracuda"],
  [/ironport|cisco ?secure ?email/i, "cisco"],
  [/trend ?micro|\bTMES\b/i, "trendmicro"],
  [/forti(mail|guard|net)/i, "fortinet"],
  [/sophos/i, "sophos"],
  [/symantec|messagelabs/i, "symantec"],
  [/safelinks|Microsoft-URLAnalyzer|Existence Discovery|Protocol Discovery/i, "microsoft"],
  [/check ?point/i, "checkpoint"],
  [/fireeye|trellix/i, "trellix"],
  [/zscaler/i, "zscaler"],
  [/virustotal|urlscan/i, "urlscan"],
  [
    /bot\b|crawl|spider|slurp|curl\/|wget\/|python-|go-http-client|java\/|okhttp|libwww|httpclient|headless|phantomjs|scrapy|node-fetch|axios\//i,
    "bot",
  ],
];

/** Human mail clients and platforms, first match wins. */
function humanClient(ua: string): string {
  if (/Microsoft Outlook|Outlook-(iOS|Android)|\bOutlook\//i.test(ua)) return "outlook";
  if (/Thunderbird\//.test(ua)) return "thunderbird";
  if (/\bGmail/i.test(ua)) return "gmail";
  if (/iPhone|iPad|iPod/.test(ua)) return "ios";
  if (/Android/.test(ua)) return "android";
  if (/Macintosh/.test(ua) && /AppleWebKit\//.test(ua) && !/Version\/|Safari|Chrome|Firefox|Edg/.test(ua))
    return "apple-mail";
  if (/Windows NT|Macintosh|X11|CrOS|Linux/.test(ua) && /(Chrome|Firefox|Safari|Edg)\//.test(ua))
    return "webmail";
  return "other";
}

function match(table: [RegExp, string][], ua: string): string | null {
  for (const [re, name] of table) if (re.test(ua)) return name;
  return null;
}

/** Classifies an open-pixel fetch by its user agent. */
export function classifyOpen(userAgent: string): Classification {
  const ua = userAgent.trim();
  if (ua === "") return { machine: true, client: "scanner:empty" };
  if (ua === "Mozilla/5.0") return { machine: true, client: "apple-mpp" };
  const proxy = match(PROXIES, ua);
  if (proxy) return { machine: true, client: proxy };
  const scanner = match(SCANNERS, ua);
  if (scanner) return { machine: true, client: `scanner:${scanner}` };
  return { machine: false, client: humanClient(ua) };
}

/**
 * Classifies a click by method and user agent. A HEAD is a gateway checking the link, never a
 * person (browsers navigate with GET); so are empty agents, bare `Mozilla/5.0` (no browser sends
 * only that) and image proxies, which never follow links for a reader.
 */
export function classifyClick(userAgent: string, method: string): Classification {
  const ua = userAgent.trim();
  const scanner = ua === "" ? "empty" : ua === "Mozilla/5.0" ? "generic" : match(SCANNERS, ua);
  if (scanner) return { machine: true, client: `scanner:${scanner}` };
  const proxy = match(PROXIES, ua);
  if (proxy) return { machine: true, client: proxy };
  if (method === "HEAD") return { machine: true, client: "scanner:head" };
  return { machine: false, client: humanClient(ua) };
}

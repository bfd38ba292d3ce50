// Mailbox providers whose rejections use their own wording or codes: a reason from those, chosen
// by the remote host (or the recipient's domain) before the generic wording is consulted.

import type { ReasonFacts } from "./reasons";
import { FRANCE_PTT_CODES, GOOGLE, MICROSOFT, PROVIDER_HOSTS, PROVIDER_PHRASES } from "./rhost-tables";

/** Which provider's servers a recipient domain or host name belongs to, "" for none. */
export function providerOf(domain: string, hosts: string[]): string {
  const entries = Object.entries(PROVIDER_HOSTS);
  const d = domain.toLowerCase();
  if (d) {
    for (const [name, suffixes] of entries) {
      // A provider host ending in the recipient's domain: "googlemail.com" covers gmail.com too.
      if (suffixes.some((s) => s.endsWith(d))) return name;
    }
  }
  for (const host of hosts) {
    const h = host.toLowerCase().replace(/\.$/, "");
    if (!h) continue;
    for (const [name, suffixes] of entries) if (suffixes.some((s) => h.endsWith(s))) return name;
  }
  return "";
}

// Cox and Spectrum quote an "AUP#" code, GoDaddy an "IBnnn" code, Facebook "RCP-P1" style codes.
const COX_CODES: Record<string, string> = {
  CXBL: "blocked",
  CXDNS: "requireptr",
  CXSNDR: "authfailure",
  CXSMTP: "rejected",
  CXCNCT: "toomanyconn",
  CXMXRT: "toomanyconn",
  CDRBL: "blocked",
  CXTHRT: "securityerror",
  CXMJ: "securityerror",
};
const SPECTRUM_RANGES: [number, number, string][] = [
  [1000, 1000, "blocked"],
  [1010, 1010, "rejected"],
  [1020, 1080, "rejected"],
  [1090, 1090, "systemerror"],
  [1100, 1150, "requireptr"],
  [1160, 1190, "policyviolation"],
  [1200, 1250, "blocked"],
  [1260, 1260, "networkerror"],
  [1300, 1340, "toomanyconn"],
  [1350, 1490, "speeding"],
  [1500, 1520, "rejected"],
  [1530, 1530, "mesgtoobig"],
  [1540, 1550, "speeding"],
  [1560, 1560, "policyviolation"],
  [1580, 1580, "speeding"],
];
const GODADDY_CODES: Record<string, string> = {
  IB401: "securityerror",
  IB501: "notcompliantrfc",
  IB502: "notcompliantrfc",
  IB506: "rejected",
  IB508: "authfailure",
  IB108: "requireptr",
  IB212: "spamdetected",
  IB705: "virusdetected",
  IB605: "toomanyconn",
  IB007: "toomanyconn",
  IB101: "speeding",
  IB110: "blocked",
  IB111: "blocked",
  IB112: "blocked",
  IB113: "blocked",
  IB504: "speeding",
  IB510: "speeding",
  IB607: "speeding",
  IB103: "badreputation",
  IB104: "blocked",
  IB105: "blocked",
  IB106: "blocked",
};
const FACEBOOK_CODES: Record<string, string> = {
  "POL-P7": "authfailure",
  "POL-P1": "blocked",
  "POL-P2": "blocked",
  "POL-P3": "blocked",
  "POL-P4": "blocked",
  "POL-T1": "blocked",
  "POL-T2": "blocked",
  "POL-T3": "blocked",
  "MSG-P2": "contenterror",
  "RCP-P2": "filtered",
  "RCP-P3": "filtered",
  "MSG-P1": "mesgtoobig",
  "INT-P2": "mesgtoobig",
  "MSG-P3": "notcompliantrfc",
  "DNS-P1": "rejected",
  "DNS-P2": "rejected",
  "DNS-T1": "rejected",
  "DNS-P3": "requireptr",
  "DNS-T2": "requireptr",
  "POL-P6": "spamdetected",
  "RCP-T4": "suspend",
  "RCP-T1": "systemerror",
  "CON-T1": "toomanyconn",
  "CON-T2": "toomanyconn",
  "CON-T3": "toomanyconn",
  "CON-T4": "toomanyconn",
  "MSG-T1": "toomanyconn",
  "RCP-P1": "userunknown",
  "INT-P1": "userunknown",
  "INT-P3": "userunknown",
  "INT-P4": "userunknown",
  "POL-P5": "virusdetected",
};
const IUA_CODES = [
  "",
  "norelaying",
  "userunknown",
  "suspend",
  "mailboxfull",
  "toomanyconn",
  "norelaying",
  "blocked",
  "rejected",
  "blocked",
  "filtered",
];
const MIMECAST: [string, string, string][] = [
  ["550", "spf sender invalid - envelope rejected", "authfailure"],
  ["550", "dkim sender invalid - envelope rejected", "authfailure"],
  ["550", "dmarc sender invalid - envelope rejected", "authfailure"],
  ["550", "local ct ip reputation - (reject)", "badreputation"],
  ["421", "sender address blocked", "blocked"],
  ["451", "ip temporarily blacklisted", "blocked"],
  ["554", "maximum email size exceeded", "mesgtoobig"],
  ["554", "mail loop detected", "networkerror"],
  ["451", "open relay not allowed", "norelaying"],
  ["550", "anti-spoofing policy - inbound not allowed", "policyviolation"],
  ["554", "host network not allowed", "policyviolation"],
  ["550", "administrative prohibition envelope blocked", "rejected"],
  ["550", "envelope blocked - user entry", "rejected"],
  ["535", "incorrect authentication data", "securityerror"],
  ["452", "too many recipients", "toomanyconn"],
  ["501", "invalid address", "userunknown"],
  ["503", "user unknown", "userunknown"],
  ["550", "invalid recipient", "userunknown"],
  ["554", "email rejected due to security policies", "virusdetected"],
];

function byPhrases(provider: string, text: string): string {
  for (const [reason, phrases] of PROVIDER_PHRASES[provider] ?? []) {
    if (phrases.some((p) => text.includes(p))) return reason;
  }
  return "";
}

function google(f: ReasonFacts, text: string): string {
  if (f.replyCode.length !== 3 || !f.status) return "";
  const row = GOOGLE.find(([, reply, status, phrase]) => {
    return (
      text.includes(phrase) &&
      reply.slice(1) === f.replyCode.slice(1) &&
      status.slice(2) === f.status.slice(2)
    );
  });
  return row?.[0] ?? "";
}

function microsoft(f: ReasonFacts, text: string): string {
  const detail = Number(f.status.split(".")[2] ?? "");
  for (const [reason, status, min, max, phrase] of MICROSOFT) {
    const codeMatches =
      max === 0 ? f.status === status : f.status.startsWith(status) && detail >= min && detail <= max;
    if (codeMatches && text.includes(phrase)) return reason;
  }
  return "";
}

function francePtt(text: string): string {
  const m =
    /(?:lpn|ofr|ouk)[a-z]*[_-]?\d*[_-](\d{3})\b/.exec(text.replace(/_/g, "-")) ??
    /(?:lpn|ofr)(\d{3})\b/.exec(text);
  const code = m?.[1] ?? "";
  if (code && FRANCE_PTT_CODES[code]) return FRANCE_PTT_CODES[code] ?? "";
  return text.includes("spf/dns de votre nom de domaine") ? "authfailure" : "";
}

function spectrum(diagnostic: string): string {
  const code = Number(/AUP#[^\d\s]*(\d{4})/.exec(diagnostic)?.[1] ?? "");
  return SPECTRUM_RANGES.find(([lo, hi]) => code >= lo && code <= hi)?.[2] ?? "";
}

function nttDocomo(f: ReasonFacts, text: string): string {
  if (f.status === "5.1.1") return "userunknown";
  if (f.status === "5.2.0") return "filtered";
  if (text.includes("552 too much mail data")) return "mailboxfull";
  if (text.includes("552 too many recipients")) return "toomanyconn";
  if (text.includes("550 unknown user")) return "userunknown";
  if (f.status === "5.0.0" && f.command === "RCPT") return "userunknown";
  if (f.status === "5.0.0" && f.command === "DATA") return "rejected";
  return "";
}

/** The reason a known provider's rejection text stands for, "" when it is not one of theirs. */
export function providerReason(f: ReasonFacts): string {
  if (!f.diagnostic) return "";
  const domain = f.recipient.slice(f.recipient.lastIndexOf("@") + 1);
  const provider = providerOf(domain, [...hostsIn(f.diagnostic), f.remoteHost, f.localHost]);
  if (!provider) return "";
  const text = f.diagnostic.toLowerCase();
  switch (provider) {
    case "google":
      return google(f, text);
    case "microsoft":
      return microsoft(f, text);
    case "franceptt":
      return francePtt(text);
    case "spectrum":
      return spectrum(f.diagnostic);
    case "nttdocomo":
      return nttDocomo(f, text);
    case "cox":
      return COX_CODES[/AUP#([A-Z0-9]+)/.exec(f.diagnostic)?.[1] ?? ""] ?? byPhrases("cox", text);
    case "godaddy":
      return GODADDY_CODES[/\b(IB\d{3})\b/.exec(f.diagnostic)?.[1] ?? ""] ?? byPhrases("godaddy", text);
    case "facebook":
      return FACEBOOK_CODES[/\b([A-Z]{3}-[PT]\d)\b/.exec(f.diagnostic)?.[1] ?? ""] ?? "";
    case "iua":
      return IUA_CODES[Number(/\.i\.ua\/err\/(\d+)\//.exec(text)?.[1] ?? "0")] ?? "";
    case "mimecast":
      return MIMECAST.find(([reply, phrase]) => reply === f.replyCode && text.includes(phrase))?.[2] ?? "";
    case "gsuite":
      return gsuite(f, text);
    default:
      return byPhrases(provider, text);
  }
}

// Google Workspace names DNS failures the same way for unknown domains and passing outages: the
// class of the codes tells them apart.
function gsuite(f: ReasonFacts, text: string): string {
  const permanent = f.status.startsWith("5") || f.replyCode.startsWith("5");
  const dns = text.includes(" responded with code nxdomain") || text.includes("domain name not found");
  if (dns && f.status.startsWith("5") && f.replyCode.startsWith("5")) return "hostunknown";
  if ((dns || text.includes(" had no relevant answers.")) && !permanent) return "networkerror";
  return byPhrases("gsuite", text);
}

/** Host names a diagnostic mentions: "host mx.example.org[192.0.2.1] said", "by mx.example.org". */
function hostsIn(diagnostic: string): string[] {
  const out: string[] = [];
  for (const m of diagnostic
    .slice(0, 2000)
    .matchAll(/\b((?:[a-z0-9-]+\.)+[a-z]{2,})(?=\s*[[(:]|\s+said)/gi)) {
    if (m[1] && out.length < 5) out.push(m[1]);
  }
  return out;
}

import type { Env } from "../../../env";
import type { DnsRecord } from "./dns-records";

/** Cloudflare's public resolver, JSON API (RFC 8484's sibling `application/dns-json`). */
const DEFAULT_RESOLVER = "https://cloudflare-dns.com/dns-query";
const TYPE_CODES = { TXT: 16, MX: 15, CNAME: 5, A: 1, AAAA: 28 } as const;

export interface RecordCheck {
  purpose: string;
  type: DnsRecord["type"];
  name: string;
  required: boolean;
  /** `ok`: published as expected; `missing`: no such record; `mismatch`: something else is there; `error`: lookup failed. */
  status: "ok" | "missing" | "mismatch" | "error";
  found: string[];
}

interface DohAnswer {
  Status: number;
  Answer?: { type: number; data: string }[];
}

/** Answers of one type for a name, as text (TXT strings joined); throws when the resolver fails. */
export async function lookup(env: Env, name: string, type: keyof typeof TYPE_CODES): Promise<string[]> {
  const url = new URL(env.DNS_RESOLVER_URL || DEFAULT_RESOLVER);
  url.searchParams.set("name", name);
  url.searchParams.set("type", type);
  const res = await fetch(url, {
    headers: { accept: "application/dns-json" },
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`resolver answered ${res.status}`);
  const body = (await res.json()) as DohAnswer;
  if (body.Status === 3) return []; // NXDOMAIN
  if (body.Status !== 0) throw new Error(`resolver status ${body.Status}`);
  return (body.Answer ?? [])
    .filter((a) => a.type === TYPE_CODES[type])
    .map((a) => (type === "TXT" ? joinTxt(a.data) : a.data.replace(/\.$/, "")));
}

/** `"v=DKIM1; p=AB" "CD"` -> `v=DKIM1; p=ABCD`: a long TXT record arrives as several strings. */
function joinTxt(data: string): string {
  const parts = [...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? "");
  return parts.length > 0 ? parts.join("") : data;
}

const tag = (record: string, name: string) =>
  new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*([^;]*)`, "i").exec(record)?.[1]?.replace(/\s+/g, "") ?? null;

/** Whether a found value satisfies the record we asked for. */
function satisfies(want: DnsRecord, found: string): boolean {
  if (want.purpose.startsWith("dkim")) return tag(found, "p") === tag(want.value, "p");
  if (want.purpose === "spf" || want.purpose === "dmarc") return true;
  if (want.type === "MX") return found.toLowerCase().endsWith(want.value.toLowerCase());
  return found === want.value;
}

/** Whether a found value is a record of the kind asked for (a name may hold other TXT records). */
function sameKind(want: DnsRecord, found: string): boolean {
  if (want.purpose.startsWith("dkim")) return /(^|;)\s*p\s*=/i.test(found);
  if (want.purpose === "spf") return /^v=spf1\b/i.test(found);
  if (want.purpose === "dmarc") return /^v=DMARC1\b/i.test(found);
  return true;
}

/** Looks up every record of a domain and says, per record, whether it is published right. */
export async function checkRecords(env: Env, records: DnsRecord[]): Promise<RecordCheck[]> {
  const seen = new Map<string, Promise<string[]>>();
  return Promise.all(
    records.map(async (r) => {
      const key = `${r.type} ${r.name}`;
      let answers = seen.get(key);
      if (!answers) {
        answers = lookup(env, r.name, r.type);
        seen.set(key, answers);
      }
      const base = { purpose: r.purpose, type: r.type, name: r.name, required: r.required };
      try {
        const found = await answers;
        const relevant = found.filter((f) => sameKind(r, f));
        const status =
          relevant.length === 0 ? "missing" : relevant.some((f) => satisfies(r, f)) ? "ok" : "mismatch";
        return { ...base, status, found } satisfies RecordCheck;
      } catch {
        return { ...base, status: "error", found: [] } satisfies RecordCheck;
      }
    }),
  );
}

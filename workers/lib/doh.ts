import type { Env } from "../env";

/** Cloudflare's public resolver, JSON API (RFC 8484's sibling `application/dns-json`). */
const DEFAULT_RESOLVER = "https://cloudflare-dns.com/dns-query";
const TYPE_CODES = { TXT: 16, MX: 15, CNAME: 5, A: 1, AAAA: 28 } as const;

interface DohAnswer {
  Status: number;
  Answer?: { type: number; data: string }[];
}

/** Answers of one type for a name, as text (TXT strings joined); throws when the resolver fails. */
export async function lookup(
  env: Pick<Env, "DNS_RESOLVER_URL">,
  name: string,
  type: keyof typeof TYPE_CODES,
): Promise<string[]> {
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

import type { Env } from "../../../env";
import { lookup } from "../../../lib/doh";
import type { DnsRecord } from "./dns-records";

export { lookup };

export interface RecordCheck {
  purpose: string;
  type: DnsRecord["type"];
  name: string;
  required: boolean;
  /** `ok`: published as expected; `missing`: no such record; `mismatch`: something else is there; `error`: lookup failed. */
  status: "ok" | "missing" | "mismatch" | "error";
  found: string[];
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

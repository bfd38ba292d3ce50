import { dkimVerify } from "mailauth/lib/dkim/verify";

/** One DKIM signature's verdict as mailauth (an independent implementation) reports it. */
export interface DkimVerdict {
  domain: string;
  selector: string;
  algo: string;
  result: string;
}

/**
 * Verifies every DKIM-Signature of `raw` with mailauth, resolving `<selector>._domainkey.<domain>`
 * from `records` (name -> TXT value) instead of real DNS.
 */
export async function verifyDkim(
  raw: string | Buffer,
  records: Record<string, string>,
): Promise<DkimVerdict[]> {
  const resolver = async (name: string, type: string) => {
    const value = type === "TXT" ? records[name.toLowerCase()] : undefined;
    if (!value) throw Object.assign(new Error(`no ${type} record for ${name}`), { code: "ENOTFOUND" });
    return [(value.match(/.{1,255}/g) ?? []) as string[]];
  };
  const out = await dkimVerify(Buffer.isBuffer(raw) ? raw : Buffer.from(raw), { resolver });
  return out.results.map((r) => ({
    domain: r.signingDomain ?? "",
    selector: r.selector ?? "",
    algo: r.algo ?? "",
    result: r.status.result,
  }));
}

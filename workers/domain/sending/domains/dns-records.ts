/** The DNS records a sending domain needs, as shown to the operator to copy into their zone. */

export interface DnsRecord {
  /** What the record is for, e.g. `dkim`, `dkim-ed25519`, `spf`, `dmarc`, `bounce-mx`. */
  purpose: string;
  type: "TXT" | "MX" | "CNAME";
  name: string;
  value: string;
  /** MX only. */
  priority?: number;
  /** Required records must match exactly for mail to authenticate; the rest are suggestions. */
  required: boolean;
  note: string;
}

export interface DomainKeys {
  domain: string;
  dkimSelector: string;
  dkimPublicKey: string;
  ed25519Selector: string | null;
  ed25519PublicKey: string | null;
  bounceDomain: string | null;
}

/** Cloudflare Email Routing's inbound MX hosts: bounces reach the Worker's email() handler this way. */
export const EMAIL_ROUTING_MX = [
  "route1.mx.cloudflare.net",
  "route2.mx.cloudflare.net",
  "route3.mx.cloudflare.net",
];

/** The records to publish for a domain: DKIM keys, SPF and DMARC suggestions, the bounce host's MX. */
export function domainRecords(d: DomainKeys): DnsRecord[] {
  const bounceHost = d.bounceDomain ?? d.domain;
  const records: DnsRecord[] = [
    {
      purpose: "dkim",
      type: "TXT",
      name: `${d.dkimSelector}._domainkey.${d.domain}`,
      value: `v=DKIM1; k=rsa; p=${d.dkimPublicKey}`,
      required: true,
      note: "RSA-2048 DKIM key: every message from this domain is signed with it.",
    },
  ];
  if (d.ed25519Selector && d.ed25519PublicKey) {
    records.push({
      purpose: "dkim-ed25519",
      type: "TXT",
      name: `${d.ed25519Selector}._domainkey.${d.domain}`,
      value: `v=DKIM1; k=ed25519; p=${d.ed25519PublicKey}`,
      required: true,
      note: "Ed25519 DKIM key (RFC 8463): a second signature for receivers that check it.",
    });
  }
  records.push(
    {
      purpose: "spf",
      type: "TXT",
      name: bounceHost,
      value: "v=spf1 include:<your relay's SPF domain> ~all",
      required: false,
      note:
        "SPF is checked against the Return-Path host. Put your relay's include here (for example " +
        "include:amazonses.com); keep a single v=spf1 record per name.",
    },
    {
      purpose: "dmarc",
      type: "TXT",
      name: `_dmarc.${d.domain}`,
      value: `v=DMARC1; p=none; adkim=r; aspf=r; rua=mailto:dmarc-reports@${d.domain}`,
      required: false,
      note: "Start with p=none and read the reports; move to quarantine or reject once aligned.",
    },
  );
  EMAIL_ROUTING_MX.forEach((host, i) => {
    records.push({
      purpose: "bounce-mx",
      type: "MX",
      name: bounceHost,
      value: host,
      priority: (i + 1) * 10,
      required: false,
      note:
        "Bounces and complaints come back to bounces+…@" +
        `${bounceHost}. Enable Cloudflare Email Routing on that host (it shows the exact MX records) and route its catch-all address to this Worker.`,
    });
  });
  return records;
}

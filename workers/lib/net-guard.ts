import type { Env } from "../env";
import { lookup } from "./doh";

/**
 * Addresses outgoing HTTP calls (workflow webhooks) must not reach unless an operator allows it:
 * private (RFC 1918, unique-local fc00::/7), loopback, link-local (169.254/16 with the cloud
 * metadata address, fe80::/10), carrier-grade NAT, "this network", and IPv4-mapped forms of them.
 */
export function isPrivateAddress(address: string): boolean {
  const a = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) return privateV4(v4.slice(1).map(Number));
  if (a.includes(":")) return privateV6(a);
  return false;
}

function privateV4([x = 0, y = 0]: number[]): boolean {
  return (
    x === 0 ||
    x === 10 ||
    x === 127 ||
    (x === 100 && y >= 64 && y <= 127) ||
    (x === 169 && y === 254) ||
    (x === 172 && y >= 16 && y <= 31) ||
    (x === 192 && y === 168) ||
    x >= 224
  );
}

function privateV6(a: string): boolean {
  if (a === "::" || a === "::1") return true;
  const mapped = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(a);
  if (mapped?.[1]) return isPrivateAddress(mapped[1]);
  return /^f[cd]/.test(a) || /^fe[89ab]/.test(a) || /^ff/.test(a);
}

/** A host name that names this machine or a private network without DNS. */
export const isLocalName = (host: string): boolean =>
  /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host.replace(/\.$/, ""));

/**
 * Why an outgoing call to `target` must not be made, or null: only http(s); unless private
 * targets are allowed, no local names and no private, loopback or link-local address, literal or
 * resolved (A and AAAA through the DNS-over-HTTPS resolver). Workflow webhook nodes and outgoing
 * webhooks both ask this before every call (a name may resolve elsewhere tomorrow).
 */
export async function refusedTarget(
  env: Pick<Env, "DNS_RESOLVER_URL">,
  target: string,
  allowPrivate: boolean,
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "only http and https targets are called";
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isLocalName(host) || isPrivateAddress(host))
    return `${host} is a private, loopback or link-local address (the owner can allow these with the webhooks.allowPrivateTargets setting)`;
  if (/^[\d.]+$/.test(host) || host.includes(":")) return null;
  const addresses = [
    ...(await lookup(env, host, "A").catch(() => [])),
    ...(await lookup(env, host, "AAAA").catch(() => [])),
  ];
  const bad = addresses.find(isPrivateAddress);
  return bad ? `${host} resolves to ${bad}, a private address` : null;
}
